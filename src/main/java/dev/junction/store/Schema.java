package dev.junction.store;

import dev.junction.core.StartupException;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema of the state database and its forward migrations. {@code PRAGMA user_version}
 * is the number of migrations applied. Each runs once, in its own transaction.
 */
final class Schema {

    private static final Logger LOG = Logger.getLogger(Schema.class);

    /** Migrations in order; migration {@code i} brings the schema from version {@code i} to {@code i + 1}. */
    private static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE networks (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                name_key TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                predefined INTEGER NOT NULL,
                device TEXT,
                subnet TEXT,
                gateway TEXT,
                mtu INTEGER NOT NULL,
                sequence INTEGER NOT NULL,
                state TEXT NOT NULL
            ) STRICT;
            CREATE TABLE endpoints (
                id TEXT PRIMARY KEY,
                network_id TEXT NOT NULL REFERENCES networks (id),
                name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                address TEXT,
                prefix_length INTEGER NOT NULL,
                mac TEXT,
                exposed_ports TEXT NOT NULL,
                port_mapping TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                join_state TEXT,
                join_record TEXT,
                UNIQUE (network_id, name_key)
            ) STRICT;
            CREATE TABLE sandboxes (
                container_id TEXT PRIMARY KEY,
                sandbox_key TEXT NOT NULL UNIQUE,
                host_namespace INTEGER NOT NULL,
                namespace_path TEXT NOT NULL,
                directory TEXT NOT NULL,
                hosts_path TEXT,
                resolv_conf_path TEXT,
                parent_entries TEXT NOT NULL,
                default_route_endpoint TEXT
            ) STRICT;
            """,
            """
            ALTER TABLE networks ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE networks ADD COLUMN icc INTEGER NOT NULL DEFAULT 1;
            """);

    /** The schema version this build writes. */
    static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }

    static void migrate(Connection connection, Path file) throws SQLException {
        int current;
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            current = result.getInt(1);
        }
        if (current > VERSION) {
            throw new StartupException("The state database " + file + " has schema version " + current
                    + ", newer than the " + VERSION + " this Junction understands; it was written by a newer Junction. "
                    + "Install that version again, or move the file aside to start with no networks.");
        }
        for (int version = current; version < VERSION; version++) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : MIGRATIONS.get(version).split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                statement.execute("PRAGMA user_version = " + (version + 1));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            LOG.infof("Migrated the state database %s to schema version %d", file, version + 1);
        }
    }
}
