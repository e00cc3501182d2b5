package dev.junction.api;

import dev.junction.core.JunctionConfig;
import dev.junction.core.Reconciler;
import dev.junction.core.Systemd;
import io.quarkus.vertx.http.DomainSocketServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * Gives the API socket mode 0660 and the configured group, as Docker does for docker.sock, once
 * the server has bound it. Until then the process umask (022 by default) leaves it writable by
 * root only, so no other user can connect in between.
 */
@ApplicationScoped
public class SocketPermissions {

    private static final Logger LOG = Logger.getLogger(SocketPermissions.class);

    private final JunctionConfig config;
    private final Systemd systemd;
    private final Reconciler reconciler;

    SocketPermissions(JunctionConfig config, Systemd systemd, Reconciler reconciler) {
        this.config = config;
        this.systemd = systemd;
        this.reconciler = reconciler;
    }

    void onSocketBound(@ObservesAsync DomainSocketServerStart event) {
        Path socket = config.socket().path();
        String groupName = config.socket().group();
        try {
            PosixFileAttributeView attributes = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
            try {
                GroupPrincipal group = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(groupName);
                attributes.setGroup(group);
            } catch (UserPrincipalNotFoundException e) {
                LOG.warnf("Group %s does not exist, so only root can use %s; create the group (groupadd --system %s) "
                        + "to let its members use the API", groupName, socket, groupName);
            }
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            LOG.infof("Serving the API on %s", socket);
        } catch (IOException e) {
            LOG.errorf("Cannot set the owner group and mode of %s: %s", socket, e.getMessage());
        }
        Reconciler.Summary summary = reconciler.lastSummary();
        systemd.ready("Serving " + socket + (summary == null ? "" : "; " + summary.networks() + " networks, "
                + summary.endpoints() + " endpoints, " + summary.sandboxes() + " sandboxes"));
    }
}
