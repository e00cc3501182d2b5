package dev.junction.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.testing.TestDirectories;
import dev.junction.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The netlink and namespace bindings, checked against ip -j. */
class NetlinkTest {

    private TestNamespace host;
    private Path directory;
    private Namespaces namespaces;
    private NetNamespace namespace;

    @BeforeEach
    void setUp() {
        host = TestNamespace.create("nl");
        directory = TestDirectories.create("netlink");
        namespaces = new Namespaces();
        namespace = namespaces.open(host.path());
    }

    @AfterEach
    void tearDown() {
        namespace.close();
        namespaces.close();
        host.close();
        TestDirectories.remove(directory);
    }

    @Test
    void bridgeIsCreatedUpWithMtuAndMac() {
        MacAddress mac = MacAddress.parse("02:11:22:33:44:55");
        namespace.links().createBridge("jn-test", 1400, mac);
        JsonNode link = host.ip("link", "show", "dev", "jn-test").get(0);
        assertEquals("bridge", link.get("linkinfo").get("info_kind").asText());
        assertEquals(1400, link.get("mtu").asInt());
        assertEquals("02:11:22:33:44:55", link.get("address").asText());
        assertTrue(link.get("flags").toString().contains("\"UP\""));
    }

    @Test
    void duplicateNameFailsWithEexist() {
        namespace.links().createBridge("jn-dup", 1500, MacAddress.randomLocal());
        KernelException error = assertThrows(KernelException.class,
                () -> namespace.links().createBridge("jn-dup", 1500, MacAddress.randomLocal()));
        assertEquals(KernelException.EEXIST, error.errno());
        assertTrue(error.getMessage().contains("EEXIST"), error.getMessage());
        assertTrue(error.getMessage().contains("jn-dup"), error.getMessage());
    }

    @Test
    void vethPeerLandsInOtherNamespace() throws Exception {
        namespace.links().createBridge("jn-v", 1500, MacAddress.randomLocal());
        int bridge = namespace.links().get("jn-v").orElseThrow().index();
        Path file = directory.resolve("sandbox");
        try (NetNamespace sandbox = namespaces.create(file)) {
            MacAddress mac = MacAddress.parse("02:aa:bb:cc:dd:ee");
            namespace.links().createVethPair(new Links.VethPair("jv-test", bridge, "eth0", mac, 1500), sandbox);
            JsonNode hostSide = host.ip("link", "show", "dev", "jv-test").get(0);
            assertEquals("jn-v", hostSide.get("master").asText());

            int index = sandbox.links().get("eth0").orElseThrow().index();
            sandbox.links().setUp(index);
            sandbox.addresses().add(index, (Inet4Address) InetAddress.getByName("10.50.0.2"), 24);
            sandbox.routes().addDefault((Inet4Address) InetAddress.getByName("10.50.0.1"), index);

            JsonNode eth0 = TestNamespace.ipIn(file, "addr", "show", "dev", "eth0").get(0);
            assertEquals("02:aa:bb:cc:dd:ee", eth0.get("address").asText());
            assertEquals("10.50.0.2", eth0.get("addr_info").get(0).get("local").asText());
            JsonNode route = TestNamespace.ipIn(file, "route", "show", "default").get(0);
            assertEquals("10.50.0.1", route.get("gateway").asText());

            assertTrue(namespace.links().delete("jv-test"));
            assertFalse(namespace.links().delete("jv-test"), "second delete must report the device missing");
        } finally {
            namespaces.remove(file);
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void listsMatchIpOutput() throws Exception {
        namespace.links().createBridge("jn-l", 1500, MacAddress.randomLocal());
        int index = namespace.links().get("jn-l").orElseThrow().index();
        namespace.addresses().add(index, (Inet4Address) InetAddress.getByName("10.51.0.1"), 16);
        assertEquals(host.linkNames().size(), namespace.links().list().size());
        assertTrue(namespace.addresses().list().stream().anyMatch(address ->
                address.address().getHostAddress().equals("10.51.0.1") && address.prefixLength() == 16));
        assertTrue(namespace.routes().list().stream().anyMatch(route ->
                route.destination() != null && route.destination().getHostAddress().equals("10.51.0.0") && route.prefixLength() == 16));
    }

    @Test
    void missingLinkIsEmpty() {
        assertTrue(namespace.links().get("jn-missing").isEmpty());
    }

    @Test
    void createdNamespaceHasLoopbackUpAndRemovesCleanly() {
        Path file = directory.resolve("fresh");
        namespaces.create(file).close();
        JsonNode loopback = TestNamespace.ipIn(file, "link", "show", "dev", "lo").get(0);
        assertTrue(loopback.get("flags").toString().contains("\"UP\""));
        assertTrue(namespaces.isMountPoint(file));
        namespaces.remove(file);
        assertFalse(Files.exists(file));
        namespaces.remove(file);
    }

    @Test
    void createOverExistingFileFails() throws Exception {
        Path file = directory.resolve("taken");
        Files.createFile(file);
        KernelException error = assertThrows(KernelException.class, () -> namespaces.create(file));
        assertEquals(KernelException.EEXIST, error.errno());
    }
}
