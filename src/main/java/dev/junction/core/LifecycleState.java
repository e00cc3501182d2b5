package dev.junction.core;

/**
 * State of a stored object in a change that has kernel side effects. A change is recorded
 * before the kernel is touched and confirmed after, so after a crash the start-up reconcile
 * knows which changes to finish and which to undo.
 */
public enum LifecycleState {
    /** Recorded, kernel objects may be partly made: undone at start. */
    CREATING,
    /** Complete. */
    READY,
    /** Being taken apart, kernel objects may be partly gone: finished at start. */
    DELETING
}
