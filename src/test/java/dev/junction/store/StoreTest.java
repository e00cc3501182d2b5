package dev.junction.store;

import dev.junction.core.Endpoint;
import dev.junction.core.ExtraHost;
import dev.junction.core.Join;
import dev.junction.core.JoinOptions;
import dev.junction.core.JoinState;
import dev.junction.core.LifecycleState;
import dev.junction.core.Network;
import dev.junction.core.NetworkType;
import dev.junction.core.ParentUpdate;
import dev.junction.core.PortBinding;
import dev.junction.core.SandboxRecord;
import dev.junction.core.StartupException;
import dev.junction.core.TransportPort;
import dev.junction.ipam.Ipv4Address;
import dev.junction.ipam.Subnet;
import dev.junction.kernel.MacAddress;
import dev.junction.testing.TestDirectories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreTest {

    private static final String ID_A = "a".repeat(64);
    private static final String ID_B = "b".repeat(64);

    private Path directory;
    private Store store;

    @BeforeEach
    void open() {
        directory = TestDirectories.create("store");
        store = new Store();
        store.open(directory);
    }

    @AfterEach
    void close() {
        store.close();
        TestDirectories.remove(directory);
    }

    private static Network bridge(String id, String name) {
        return new Network(id, name, NetworkType.BRIDGE, false, "jn-" + id.substring(0, 12), Subnet.parse("10.9.0.0/16"),
                Ipv4Address.parse("10.9.255.254"), 9000, true, false, 42);
    }

    @Test
    void networkRoundTripsMinimalAndMaximal() {
        Network none = new Network(ID_A, "none", NetworkType.NULL, true, null, null, null, 0, false, true, 1);
        Network maximal = bridge(ID_B, "/" + "n".repeat(64));
        store.putNetwork(none, LifecycleState.READY);
        store.putNetwork(maximal, LifecycleState.CREATING);
        List<Store.StoredNetwork> loaded = store.networks();
        assertEquals(List.of(new Store.StoredNetwork(none, LifecycleState.READY),
                new Store.StoredNetwork(maximal, LifecycleState.CREATING)), loaded);
        store.setNetworkState(ID_B, LifecycleState.DELETING);
        assertEquals(LifecycleState.DELETING, store.networks().get(1).state());
        store.deleteNetwork(ID_B);
        assertEquals(1, store.networks().size());
    }

    @Test
    void endpointRoundTripsMinimalAndMaximal() {
        store.putNetwork(bridge(ID_A, "net"), LifecycleState.READY);
        Endpoint minimal = new Endpoint(ID_B, "e", ID_A, null, 0, null, List.of(), List.of(), null, 7);
        store.putEndpoint(minimal, null);
        assertEquals(List.of(new Store.StoredEndpoint(minimal, null)), store.endpoints());

        List<TransportPort> exposed = new ArrayList<>();
        List<PortBinding> mapping = new ArrayList<>();
        for (int port = 1; port <= 200; port++) {
            exposed.add(new TransportPort(port % 2 == 0 ? 6 : 17, port));
            mapping.add(new PortBinding(6, "10.9.0.2", port, "127.0.0.1", 65535 - port));
        }
        JoinOptions options = new JoinOptions("c".repeat(128), "web", "example.com", "/tmp/hosts", "/tmp/resolv.conf",
                List.of("10.0.0.1", "fd00::1"), List.of(new ExtraHost("db", "10.0.0.5")),
                List.of(new ParentUpdate(ID_A, "child", "10.0.0.6")), true);
        Join join = new Join("c".repeat(128), "c".repeat(128), "/run/junction/netns/default", "jc-bbbbbbbbbbbb",
                "jv-bbbbbbbbbbbb", options, mapping);
        Endpoint maximal = new Endpoint(ID_B, "/" + "e".repeat(64), ID_A, Ipv4Address.parse("10.9.255.253"), 16,
                MacAddress.parse("02:ff:ff:ff:ff:ff"), exposed, mapping, join, Long.MAX_VALUE);
        store.putEndpoint(maximal, JoinState.JOINED);
        assertEquals(List.of(new Store.StoredEndpoint(maximal, JoinState.JOINED)), store.endpoints());
        store.deleteEndpoint(ID_B);
        assertEquals(List.of(), store.endpoints());
    }

    @Test
    void joinOptionsWithNullsRoundTrip() {
        store.putNetwork(bridge(ID_A, "net"), LifecycleState.READY);
        JoinOptions options = new JoinOptions("c", null, "", null, "", null, null, null, false);
        Endpoint endpoint = new Endpoint(ID_B, "e", ID_A, Ipv4Address.parse("10.9.0.2"), 16, MacAddress.parse("02:00:00:00:00:01"),
                null, null, new Join("c", "c", "/x/netns/c", "eth0", "jv-bbbbbbbbbbbb", options, null), 3);
        store.putEndpoint(endpoint, JoinState.JOINING);
        assertEquals(endpoint, store.endpoints().getFirst().endpoint());
        assertEquals(JoinState.JOINING, store.endpoints().getFirst().joinState());
    }

    @Test
    void sandboxRoundTripsMinimalAndMaximal() {
        SandboxRecord minimal = new SandboxRecord("c", "c", false, "/run/junction/netns/c", "/run/junction/sandboxes/c",
                null, null, List.of(), null);
        List<ExtraHost> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(new ExtraHost("host" + i, "10.1.0." + i));
        }
        SandboxRecord maximal = new SandboxRecord("d".repeat(128), "d".repeat(128), true, "/run/junction/netns/default",
                "/run/junction/sandboxes/" + "d".repeat(128), "/var/lib/x/hosts", "/var/lib/x/resolv.conf", entries, ID_B);
        store.putSandbox(minimal);
        store.putSandbox(maximal);
        assertEquals(List.of(minimal, maximal), store.sandboxes());
        store.deleteSandbox("c");
        assertEquals(List.of(maximal), store.sandboxes());
    }

    @Test
    void transactionRollsBackOnFailure() {
        assertThrows(IllegalStateException.class, () -> store.transaction(() -> {
            store.putNetwork(bridge(ID_A, "net"), LifecycleState.READY);
            throw new IllegalStateException("fail after the write");
        }));
        assertEquals(List.of(), store.networks());
    }

    @Test
    void duplicateNetworkNameIsRejectedByTheDatabase() {
        store.putNetwork(bridge(ID_A, "same"), LifecycleState.READY);
        assertThrows(StoreException.class, () -> store.putNetwork(bridge(ID_B, "/same"), LifecycleState.READY));
    }

    @Test
    void stateSurvivesReopen() {
        store.putNetwork(bridge(ID_A, "kept"), LifecycleState.READY);
        store.close();
        store = new Store();
        store.open(directory);
        assertEquals("kept", store.networks().getFirst().network().name());
    }

    @Test
    void databaseUsesWalAndIsPrivate() throws Exception {
        assertTrue(Files.exists(directory.resolve("junction.db-wal")) || Files.exists(directory.resolve("junction.db")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.resolve("junction.db"))));
    }

    @Test
    void corruptFileStopsOpenAndStaysUntouched() throws Exception {
        store.close();
        Path file = directory.resolve("junction.db");
        Files.deleteIfExists(directory.resolve("junction.db-wal"));
        Files.deleteIfExists(directory.resolve("junction.db-shm"));
        byte[] garbage = new byte[8192];
        Arrays.fill(garbage, (byte) 0x5a);
        Files.write(file, garbage);
        Store broken = new Store();
        StartupException error = assertThrows(StartupException.class, () -> broken.open(directory));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("not a database"), error.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(file));
    }

    @Test
    void newerSchemaStopsOpen() throws Exception {
        store.close();
        try (var connection = new org.sqlite.JDBC().connect("jdbc:sqlite:" + directory.resolve("junction.db"), new java.util.Properties());
             var statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = 999");
        }
        Store newer = new Store();
        StartupException error = assertThrows(StartupException.class, () -> newer.open(directory));
        assertTrue(error.getMessage().contains("999"), error.getMessage());
    }
}
