package dev.junction.core;

/** State of a stored endpoint's join; see {@link LifecycleState} for how a restart uses it. */
public enum JoinState {
    /** Recorded before the sandbox and devices exist: undone at start. */
    JOINING,
    /** Complete. */
    JOINED,
    /** Being detached: finished at start. */
    LEAVING
}
