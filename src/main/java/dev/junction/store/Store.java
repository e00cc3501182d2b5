package dev.junction.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.core.Endpoint;
import dev.junction.core.ExtraHost;
import dev.junction.core.Join;
import dev.junction.core.JoinState;
import dev.junction.core.LifecycleState;
import dev.junction.core.Names;
import dev.junction.core.Network;
import dev.junction.core.NetworkType;
import dev.junction.core.PortBinding;
import dev.junction.core.SandboxRecord;
import dev.junction.core.StartupException;
import dev.junction.core.TransportPort;
import dev.junction.ipam.Ipv4Address;
import dev.junction.ipam.Subnet;
import dev.junction.kernel.MacAddress;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.sqlite.JDBC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Junction's durable state in SQLite at {@code <data-root>/junction.db}: networks, endpoints
 * with their addresses, MACs, port mappings and joins, and sandboxes.
 *
 * <p>The database runs in WAL mode with {@code synchronous=FULL}, so a committed change survives
 * a crash or power loss. One connection serves every caller; {@link #transaction} groups
 * writes that must land together.
 */
@Singleton
public class Store {

    public static final String FILE_NAME = "junction.db";

    private static final Logger LOG = Logger.getLogger(Store.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A network with the stage of its last change. */
    public record StoredNetwork(Network network, LifecycleState state) {
    }

    /** An endpoint with the stage of its join, null when it is not joined. */
    public record StoredEndpoint(Endpoint endpoint, JoinState joinState) {
    }

    private Connection connection;
    private Path file;
    private int depth;

    /**
     * Opens the database, creating it on first start and migrating it to the current schema.
     * Throws {@link StartupException} naming the file when it cannot be opened or read; a
     * damaged file is never replaced.
     */
    public synchronized void open(Path dataRoot) {
        file = dataRoot.resolve(FILE_NAME);
        boolean created = !Files.exists(file);
        try {
            // The driver is called directly: DriverManager finds drivers through the class loader,
            // which fails when Quarkus tests and plain tests share a JVM.
            connection = new JDBC().connect(JDBC.PREFIX + file, new Properties());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 5000");
                checkIntegrity(statement);
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA synchronous = FULL");
                statement.execute("PRAGMA foreign_keys = ON");
            }
            if (created) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Schema.migrate(connection, file);
        } catch (SQLException e) {
            close();
            throw new StartupException("Cannot open the state database " + file + ": " + e.getMessage()
                    + ". Junction leaves the file as it is: restore it from a backup, or move it aside to start with no networks.");
        } catch (IOException e) {
            close();
            throw new StartupException("Cannot set the permissions of the state database " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.infof("State database %s %s, schema version %d", file, created ? "created" : "opened", Schema.VERSION);
    }

    private void checkIntegrity(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA quick_check")) {
            List<String> problems = new ArrayList<>();
            while (result.next()) {
                String line = result.getString(1);
                if (!"ok".equals(line)) {
                    problems.add(line);
                }
            }
            if (!problems.isEmpty()) {
                throw new SQLException("the integrity check failed: " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
            }
        }
    }

    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warnf("Cannot close the state database %s: %s", file, e.getMessage());
            }
            connection = null;
        }
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} in one transaction; calls nested inside it join the outer transaction. */
    public synchronized <T> T transaction(Supplier<T> work) {
        boolean outermost = depth == 0;
        try {
            if (outermost) {
                connection.setAutoCommit(false);
            }
            depth++;
            T result;
            try {
                result = work.get();
            } finally {
                depth--;
            }
            if (outermost) {
                connection.commit();
            }
            return result;
        } catch (SQLException e) {
            rollback(outermost);
            throw new StoreException("state database transaction failed in " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback(outermost);
            throw e;
        } finally {
            if (outermost) {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    LOG.warnf("Cannot restore autocommit on %s: %s", file, e.getMessage());
                }
            }
        }
    }

    public void transaction(Runnable work) {
        transaction(() -> {
            work.run();
            return null;
        });
    }

    private void rollback(boolean outermost) {
        if (outermost) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                LOG.errorf("Cannot roll back a transaction on %s: %s", file, e.getMessage());
            }
        }
    }

    // Networks

    public synchronized void putNetwork(Network network, LifecycleState state) {
        update("""
                INSERT INTO networks (id, name, name_key, type, predefined, device, subnet, gateway, mtu, internal, icc, sequence, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, type = excluded.type,
                    predefined = excluded.predefined, device = excluded.device, subnet = excluded.subnet,
                    gateway = excluded.gateway, mtu = excluded.mtu, internal = excluded.internal, icc = excluded.icc,
                    sequence = excluded.sequence, state = excluded.state""",
                network.id(), network.name(), Names.key(network.name()), network.type().apiName(), network.predefined() ? 1 : 0,
                network.device(), text(network.subnet()), text(network.gateway()), network.mtu(), network.internal() ? 1 : 0,
                network.icc() ? 1 : 0, network.sequence(), state.name());
    }

    public synchronized void setNetworkState(String id, LifecycleState state) {
        update("UPDATE networks SET state = ? WHERE id = ?", state.name(), id);
    }

    public synchronized void deleteNetwork(String id) {
        update("DELETE FROM networks WHERE id = ?", id);
    }

    public synchronized List<StoredNetwork> networks() {
        return query("SELECT id, name, type, predefined, device, subnet, gateway, mtu, internal, icc, sequence, state "
                        + "FROM networks ORDER BY sequence",
                result -> new StoredNetwork(new Network(
                        result.getString("id"),
                        result.getString("name"),
                        networkType(result.getString("type")),
                        result.getInt("predefined") != 0,
                        result.getString("device"),
                        result.getString("subnet") == null ? null : Subnet.parse(result.getString("subnet")),
                        result.getString("gateway") == null ? null : Ipv4Address.parse(result.getString("gateway")),
                        result.getInt("mtu"),
                        result.getInt("internal") != 0,
                        result.getInt("icc") != 0,
                        result.getLong("sequence")),
                        LifecycleState.valueOf(result.getString("state"))));
    }

    private static NetworkType networkType(String name) throws SQLException {
        var type = NetworkType.fromApiName(name);
        if (type.isEmpty() || name.isEmpty()) {
            throw new SQLException("unknown network type \"" + name + "\"");
        }
        return type.get();
    }

    // Endpoints

    public synchronized void putEndpoint(Endpoint endpoint, JoinState joinState) {
        update("""
                INSERT INTO endpoints (id, network_id, name, name_key, address, prefix_length, mac, exposed_ports, port_mapping,
                    sequence, join_state, join_record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET network_id = excluded.network_id, name = excluded.name,
                    name_key = excluded.name_key, address = excluded.address, prefix_length = excluded.prefix_length,
                    mac = excluded.mac, exposed_ports = excluded.exposed_ports, port_mapping = excluded.port_mapping,
                    sequence = excluded.sequence, join_state = excluded.join_state, join_record = excluded.join_record""",
                endpoint.id(), endpoint.networkId(), endpoint.name(), Names.key(endpoint.name()), text(endpoint.address()),
                endpoint.prefixLength(), text(endpoint.mac()), json(endpoint.exposedPorts()), json(endpoint.portMapping()),
                endpoint.sequence(), joinState == null ? null : joinState.name(),
                endpoint.join() == null ? null : json(endpoint.join()));
    }

    public synchronized void deleteEndpoint(String id) {
        update("DELETE FROM endpoints WHERE id = ?", id);
    }

    public synchronized List<StoredEndpoint> endpoints() {
        return query("""
                SELECT id, network_id, name, address, prefix_length, mac, exposed_ports, port_mapping, sequence, join_state, join_record
                FROM endpoints ORDER BY sequence""",
                result -> new StoredEndpoint(new Endpoint(
                        result.getString("id"),
                        result.getString("name"),
                        result.getString("network_id"),
                        result.getString("address") == null ? null : Ipv4Address.parse(result.getString("address")),
                        result.getInt("prefix_length"),
                        result.getString("mac") == null ? null : MacAddress.parse(result.getString("mac")),
                        parse(result.getString("exposed_ports"), new TypeReference<List<TransportPort>>() {
                        }),
                        parse(result.getString("port_mapping"), new TypeReference<List<PortBinding>>() {
                        }),
                        result.getString("join_record") == null ? null : parse(result.getString("join_record"), new TypeReference<Join>() {
                        }),
                        result.getLong("sequence")),
                        result.getString("join_state") == null ? null : JoinState.valueOf(result.getString("join_state"))));
    }

    // Sandboxes

    public synchronized void putSandbox(SandboxRecord sandbox) {
        update("""
                INSERT INTO sandboxes (container_id, sandbox_key, host_namespace, namespace_path, directory, hosts_path,
                    resolv_conf_path, parent_entries, default_route_endpoint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (container_id) DO UPDATE SET sandbox_key = excluded.sandbox_key,
                    host_namespace = excluded.host_namespace, namespace_path = excluded.namespace_path,
                    directory = excluded.directory, hosts_path = excluded.hosts_path,
                    resolv_conf_path = excluded.resolv_conf_path, parent_entries = excluded.parent_entries,
                    default_route_endpoint = excluded.default_route_endpoint""",
                sandbox.containerId(), sandbox.key(), sandbox.hostNamespace() ? 1 : 0, sandbox.namespacePath(),
                sandbox.directory(), sandbox.hostsPath(), sandbox.resolvConfPath(), json(sandbox.parentEntries()),
                sandbox.defaultRouteEndpoint());
    }

    public synchronized void deleteSandbox(String containerId) {
        update("DELETE FROM sandboxes WHERE container_id = ?", containerId);
    }

    public synchronized List<SandboxRecord> sandboxes() {
        return query("""
                SELECT container_id, sandbox_key, host_namespace, namespace_path, directory, hosts_path, resolv_conf_path,
                    parent_entries, default_route_endpoint
                FROM sandboxes ORDER BY container_id""",
                result -> new SandboxRecord(
                        result.getString("container_id"),
                        result.getString("sandbox_key"),
                        result.getInt("host_namespace") != 0,
                        result.getString("namespace_path"),
                        result.getString("directory"),
                        result.getString("hosts_path"),
                        result.getString("resolv_conf_path"),
                        parse(result.getString("parent_entries"), new TypeReference<List<ExtraHost>>() {
                        }),
                        result.getString("default_route_endpoint")));
    }

    // Plumbing

    private interface RowReader<T> {
        T read(ResultSet result) throws SQLException;
    }

    private void update(String sql, Object... parameters) {
        checkOpen();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("state database write failed in " + file + ": " + e.getMessage(), e);
        }
    }

    private <T> List<T> query(String sql, RowReader<T> reader) {
        checkOpen();
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet result = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(reader.read(result));
            }
            return rows;
        } catch (SQLException | IllegalArgumentException e) {
            throw new StoreException("state database read failed in " + file + ": " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (connection == null) {
            throw new StoreException("the state database is not open", null);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter == null) {
                statement.setNull(i + 1, Types.NULL);
            } else if (parameter instanceof Integer value) {
                statement.setInt(i + 1, value);
            } else if (parameter instanceof Long value) {
                statement.setLong(i + 1, value);
            } else {
                statement.setString(i + 1, parameter.toString());
            }
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }

    private static <T> T parse(String text, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("invalid stored JSON " + text + ": " + e.getOriginalMessage(), e);
        }
    }
}
