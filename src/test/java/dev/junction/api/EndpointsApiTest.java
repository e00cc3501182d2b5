package dev.junction.api;

import dev.junction.testing.ApiTestSupport;
import dev.junction.testing.KernelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KernelTestResource.class)
class EndpointsApiTest extends ApiTestSupport {

    private static final String SPEC_JOIN_BODY = """
            {
                "container_id": "%s",
                "host_name": null,
                "domain_name": null,
                "hosts_path": null,
                "resolv_conf_path": null,
                "dns": null,
                "extra_hosts": null,
                "parent_updates": null,
                "use_default_sandbox": false
            }""";

    private static final String SPEC_ATTACH_BODY = """
            {
              "container_id": "%s",
              "host_name": "",
              "domain_name": "",
              "hosts_path": "",
              "resolv_conf_path": "",
              "dns": null,
              "extra_hosts": null,
              "parent_updates": null,
              "use_default_sandbox": false
            }""";

    @Test
    void createReturnsIdAndGetShowsDocumentedFields() {
        String networkName = unique("epnet");
        String network = createNetwork(networkName);
        var response = post("/networks/" + network + "/endpoints",
                "{\"name\":\"baz\",\"exposed_ports\":[{\"proto\":6,\"port\":8080}],\"port_mapping\":null}");
        response.then().statusCode(200).contentType(ContentType.JSON).body(matchesPattern("\"[0-9a-f]{64}\""));
        String id = response.as(String.class);
        get("/networks/" + network + "/endpoints/" + id).then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo("baz"))
                .body("network", equalTo(networkName))
                .body("exposed_ports[0].proto", equalTo(6))
                .body("exposed_ports[0].port", equalTo(8080))
                .body("address", matchesPattern("[0-9.]+/[0-9]+"))
                .body("mac_address", matchesPattern("[0-9a-f]{2}(:[0-9a-f]{2}){5}"))
                .body("container_id", nullValue());
    }

    @Test
    void listShowsEndpointsInCreationOrder() {
        String network = createNetwork(unique("list"));
        String first = createEndpoint(network, "/lonely_pasteur");
        String second = createEndpoint(network, "b");
        get("/networks/" + network + "/endpoints").then()
                .statusCode(200)
                .body("id", equalTo(List.of(first, second)))
                .body("name", equalTo(List.of("/lonely_pasteur", "b")));
        get("/networks/" + network).then().body("endpoints.id", equalTo(List.of(first, second)));
    }

    @Test
    void listIsEmptyArrayNotNull() {
        String network = createNetwork(unique("empty"));
        get("/networks/" + network + "/endpoints").then().statusCode(200).body(equalTo("[]"));
    }

    @Test
    void endpointIsResolvedByIdNameAndPrefix() {
        String network = createNetwork(unique("resolve"));
        String id = createEndpoint(network, "/web");
        get("/networks/" + network + "/endpoints/" + id).then().statusCode(200).body("id", equalTo(id));
        get("/networks/" + network + "/endpoints/web").then().statusCode(200).body("id", equalTo(id));
        get("/networks/" + network + "/endpoints/" + id.substring(0, 16)).then().statusCode(200).body("id", equalTo(id));
        given().urlEncodingEnabled(false).get("/networks/" + network + "/endpoints//web").then().statusCode(200);
    }

    @Test
    void filtersSelectEndpoints() {
        String network = createNetwork(unique("filter"));
        String id = createEndpoint(network, "alpha");
        createEndpoint(network, "beta");
        given().queryParam("name", "alpha").get("/networks/" + network + "/endpoints").then()
                .statusCode(200).body("id", equalTo(List.of(id)));
        given().queryParam("partial-id", id.substring(0, 12)).get("/networks/" + network + "/endpoints").then()
                .statusCode(200).body("id", equalTo(List.of(id)));
        given().queryParam("name", "alpha").queryParam("partial-id", "a").get("/networks/" + network + "/endpoints").then()
                .statusCode(400);
        given().queryParam("network", "x").get("/networks/" + network + "/endpoints").then().statusCode(400);
    }

    @Test
    void duplicateNameIs409OnlyWithinNetwork() {
        String first = createNetwork(unique("one"));
        String second = createNetwork(unique("two"));
        createEndpoint(first, "same");
        post("/networks/" + first + "/endpoints", "{\"name\":\"same\"}").then()
                .statusCode(409).body("message", containsString("same"));
        createEndpoint(second, "same");
    }

    @Test
    void unknownNetworkOrEndpointIs404() {
        post("/networks/no-such-net/endpoints", "{\"name\":\"x\"}").then().statusCode(404).body("message", containsString("no-such-net"));
        get("/networks/no-such-net/endpoints").then().statusCode(404);
        String network = createNetwork(unique("nf"));
        get("/networks/" + network + "/endpoints/ghost").then().statusCode(404).body("message", containsString("ghost"));
        delete("/networks/" + network + "/endpoints/ghost").then().statusCode(404);
        post("/networks/" + network + "/endpoints/ghost/containers", "{\"container_id\":\"c\"}").then().statusCode(404);
        delete("/networks/" + network + "/endpoints/ghost/containers/c").then().statusCode(404);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "name                    | {}",
            "name                    | {\"name\":\"bad name\"}",
            "name                    | {\"name\":7}",
            "exposed_ports[0].proto  | {\"name\":\"e\",\"exposed_ports\":[{\"proto\":1,\"port\":80}]}",
            "exposed_ports[0].port   | {\"name\":\"e\",\"exposed_ports\":[{\"proto\":6,\"port\":0}]}",
            "exposed_ports[0].port   | {\"name\":\"e\",\"exposed_ports\":[{\"proto\":6,\"port\":65536}]}",
            "exposed_ports[0].port   | {\"name\":\"e\",\"exposed_ports\":[{\"proto\":6}]}",
            "exposed_ports[0].proto  | {\"name\":\"e\",\"exposed_ports\":[{\"proto\":\"tcp\",\"port\":80}]}",
            "\"tcp\"                  | {\"name\":\"e\",\"exposed_ports\":[{\"proto\":\"tcp\",\"port\":80}]}",
            "port                    | {\"name\":\"e\",\"exposed_ports\":[{\"proto\":6,\"port\":99999999999999999999}]}",
            "exposed_ports           | {\"name\":\"e\",\"exposed_ports\":{\"proto\":6}}",
            "port_mapping[0].proto   | {\"name\":\"e\",\"port_mapping\":[{\"proto\":0,\"port\":80}]}",
            "port_mapping[0].port    | {\"name\":\"e\",\"port_mapping\":[{\"proto\":6,\"port\":-1}]}",
            "port_mapping[0].host_port | {\"name\":\"e\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":70000}]}",
            "port_mapping[0].host_ip | {\"name\":\"e\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_ip\":\"1.2.3\"}]}",
            "port_mapping[0].ip      | {\"name\":\"e\",\"port_mapping\":[{\"proto\":17,\"port\":80,\"ip\":\"abc\"}]}",
            "port_mapping[1]         | {\"name\":\"e\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":8080},{\"proto\":6,\"port\":81,\"host_port\":8080}]}",
            "port_mapping[0]         | {\"name\":\"e\",\"port_mapping\":[null]}"})
    void invalidEndpointBodyIs400(String field, String body) {
        String network = createNetwork(unique("bad"));
        post("/networks/" + network + "/endpoints", body).then()
                .statusCode(400)
                .body("message", containsString(field));
        get("/networks/" + network + "/endpoints").then().body("$", hasSize(0));
    }

    @Test
    void portMappingContainerAddressIsIgnored() {
        String network = createNetwork(unique("portip"));
        String id = post("/networks/" + network + "/endpoints", "{\"name\":\"web\",\"port_mapping\":["
                + "{\"proto\":6,\"ip\":\"192.0.2.7\",\"port\":80}]}").as(String.class);
        get("/networks/" + network + "/endpoints/" + id).then()
                .body("port_mapping[0].ip", equalTo(""))
                .body("port_mapping[0].port", equalTo(80));
    }

    @Test
    void validPortMappingIsStored() {
        String network = createNetwork(unique("ports"));
        String id = post("/networks/" + network + "/endpoints", "{\"name\":\"web\",\"port_mapping\":["
                + "{\"proto\":6,\"ip\":\"\",\"port\":80,\"host_ip\":\"127.0.0.1\",\"host_port\":8080},"
                + "{\"proto\":17,\"port\":53}]}").as(String.class);
        get("/networks/" + network + "/endpoints/" + id).then()
                .body("port_mapping[0].proto", equalTo(6))
                .body("port_mapping[0].port", equalTo(80))
                .body("port_mapping[0].host_ip", equalTo("127.0.0.1"))
                .body("port_mapping[0].host_port", equalTo(8080))
                .body("port_mapping[1].proto", equalTo(17))
                .body("port_mapping[1].host_ip", equalTo(""))
                .body("port_mapping[1].host_port", equalTo(0));
    }

    @Test
    void deleteReleasesNameAndReturnsEmptyBody() {
        String network = createNetwork(unique("del"));
        String id = createEndpoint(network, "gone");
        delete("/networks/" + network + "/endpoints/" + id).then().statusCode(200).body(emptyString());
        get("/networks/" + network + "/endpoints/" + id).then().statusCode(404);
        createEndpoint(network, "gone");
    }

    @Test
    void joinWithSpecBodiesReturnsSandboxPath() {
        String network = createNetwork(unique("join"));
        String first = createEndpoint(network, "first");
        String second = createEndpoint(network, "second");
        String containerA = "e76f406417031bd24c17aeb9bb2f5968b628b9fb6067da264b234544754bf857";
        String containerB = "98c5241f9475e9efc17e7198e931fb48166010b80f96d48df204e251378ca547";

        var joined = post("/networks/" + network + "/endpoints/" + first + "/containers", SPEC_JOIN_BODY.formatted(containerA));
        joined.then().statusCode(200).contentType(ContentType.JSON);
        assertEquals(runRoot().resolve("netns/e76f40641703").toString(), joined.as(String.class));

        var attached = post("/networks/" + network + "/endpoints/" + second + "/containers", SPEC_ATTACH_BODY.formatted(containerB));
        attached.then().statusCode(200);
        assertEquals(runRoot().resolve("netns/98c5241f9475").toString(), attached.as(String.class));

        get("/networks/" + network + "/endpoints/" + first).then()
                .body("container_id", equalTo(containerA))
                .body("sandbox", equalTo(joined.as(String.class)))
                .body("interface", equalTo("eth0"));
    }

    @Test
    void joinTwiceIs409() {
        String network = createNetwork(unique("twice"));
        String endpoint = createEndpoint(network, "ep");
        join(network, endpoint, "c-twice");
        post("/networks/" + network + "/endpoints/" + endpoint + "/containers", "{\"container_id\":\"c-other\"}").then()
                .statusCode(409).body("message", containsString("c-twice"));
    }

    @Test
    void secondEndpointOfSameNetworkForContainerIs409() {
        String network = createNetwork(unique("one-per"));
        String first = createEndpoint(network, "a");
        String second = createEndpoint(network, "b");
        join(network, first, "c-oneper");
        post("/networks/" + network + "/endpoints/" + second + "/containers", "{\"container_id\":\"c-oneper\"}").then()
                .statusCode(409).body("message", containsString("already joined"));
        get("/networks/" + network + "/endpoints/" + second).then().body("container_id", nullValue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "container_id     | {}",
            "container_id     | {\"container_id\":\"\"}",
            "container_id     | {\"container_id\":\"bad id\"}",
            "container_id     | {\"container_id\":\"-x\"}",
            "container_id     | {\"container_id\":\"default\"}",
            "container_id     | {\"container_id\":42}",
            "hosts_path       | {\"container_id\":\"c\",\"hosts_path\":\"relative/hosts\"}",
            "hosts_path       | {\"container_id\":\"c\",\"hosts_path\":\"/tmp/../etc/hosts\"}",
            "hosts_path       | {\"container_id\":\"c\",\"hosts_path\":\"/no/such/dir/hosts\"}",
            "resolv_conf_path | {\"container_id\":\"c\",\"resolv_conf_path\":\"/tmp\"}",
            "host_name        | {\"container_id\":\"c\",\"host_name\":\"bad host\"}",
            "domain_name      | {\"container_id\":\"c\",\"domain_name\":\"-bad\"}",
            "dns[1]           | {\"container_id\":\"c\",\"dns\":[\"1.1.1.1\",\"not-an-ip\"]}",
            "dns              | {\"container_id\":\"c\",\"dns\":\"1.1.1.1\"}",
            "extra_hosts[0].address | {\"container_id\":\"c\",\"extra_hosts\":[{\"name\":\"db\",\"address\":\"x\"}]}",
            "extra_hosts[0].name    | {\"container_id\":\"c\",\"extra_hosts\":[{\"address\":\"10.0.0.1\"}]}",
            "parent_updates[0].endpoint_id | {\"container_id\":\"c\",\"parent_updates\":[{\"endpoint_id\":\"nope\",\"name\":\"a\",\"address\":\"10.0.0.1\"}]}",
            "use_default_sandbox | {\"container_id\":\"c\",\"use_default_sandbox\":\"yes\"}"})
    void invalidJoinBodyIsRejectedWithoutChange(String field, String body) {
        String network = createNetwork(unique("badjoin"));
        String endpoint = createEndpoint(network, "ep");
        var response = post("/networks/" + network + "/endpoints/" + endpoint + "/containers", body);
        assertTrue(response.statusCode() == 400 || response.statusCode() == 404, "status " + response.statusCode());
        response.then().body("message", containsString(field));
        get("/networks/" + network + "/endpoints/" + endpoint).then().body("container_id", nullValue());
        assertFalse(Files.exists(runRoot().resolve("netns/c")), "a sandbox was left behind");
    }

    @Test
    void symlinkHostsPathIs400() throws Exception {
        Path directory = Files.createTempDirectory("junction-symlink");
        Path link = directory.resolve("hosts");
        Files.createSymbolicLink(link, Path.of("/etc/hostname"));
        try {
            String network = createNetwork(unique("symlink"));
            String endpoint = createEndpoint(network, "ep");
            post("/networks/" + network + "/endpoints/" + endpoint + "/containers",
                    "{\"container_id\":\"c-symlink\",\"hosts_path\":\"" + link + "\"}").then()
                    .statusCode(400).body("message", allOf(containsString("hosts_path"), containsString("symbolic link")));
        } finally {
            Files.delete(link);
            Files.delete(directory);
        }
    }

    @Test
    void foreignHostsFileIsNotOverwritten() throws Exception {
        Path directory = Files.createTempDirectory("junction-foreign");
        Path hosts = directory.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n10.0.0.1 gateway\n");
        try {
            String network = createNetwork(unique("foreign"));
            String endpoint = createEndpoint(network, "ep");
            post("/networks/" + network + "/endpoints/" + endpoint + "/containers",
                    "{\"container_id\":\"c-foreign\",\"hosts_path\":\"" + hosts + "\"}").then()
                    .statusCode(409).body("message", allOf(containsString("hosts_path"), containsString("did not write")));
            assertEquals("127.0.0.1 localhost\n10.0.0.1 gateway\n", Files.readString(hosts));
            Files.writeString(hosts, "");
            String body = "{\"container_id\":\"%s\",\"hosts_path\":\"" + hosts + "\"}";
            post("/networks/" + network + "/endpoints/" + endpoint + "/containers", body.formatted("c-foreign")).then().statusCode(200);
            assertTrue(Files.readString(hosts).startsWith("# Generated by Junction"), "an empty file is Junction's to write");
            delete("/networks/" + network + "/endpoints/" + endpoint + "/containers/c-foreign").then().statusCode(200);
            post("/networks/" + network + "/endpoints/" + endpoint + "/containers", body.formatted("c-foreign2")).then()
                    .statusCode(200);
        } finally {
            Files.delete(hosts);
            Files.delete(directory);
        }
    }

    @Test
    void portMappingOnHostNetworkIs400() {
        post("/networks/host/endpoints", "{\"name\":\"" + unique("hp") + "\",\"port_mapping\":[{\"proto\":6,\"port\":80}]}").then()
                .statusCode(400).body("message", containsString("port_mapping"));
    }

    @Test
    void joinWritesHostsAndResolvConf() throws Exception {
        Path directory = Files.createTempDirectory("junction-files");
        try {
            String network = createNetwork(unique("files"));
            String endpoint = createEndpoint(network, "ep");
            post("/networks/" + network + "/endpoints/" + endpoint + "/containers", """
                    {"container_id":"c-files","host_name":"web","domain_name":"example.com",
                     "hosts_path":"%s/hosts","resolv_conf_path":"%s/resolv.conf","dns":["10.9.8.7"],
                     "extra_hosts":[{"name":"db","address":"10.1.1.1"}]}""".formatted(directory, directory))
                    .then().statusCode(200);
            String address = get("/networks/" + network + "/endpoints/" + endpoint).jsonPath().getString("address").split("/")[0];
            String hosts = Files.readString(directory.resolve("hosts"));
            assertTrue(hosts.contains("127.0.0.1\tlocalhost"), hosts);
            assertTrue(hosts.contains("10.1.1.1\tdb"), hosts);
            assertTrue(hosts.contains(address + "\tweb.example.com web"), hosts);
            String resolv = Files.readString(directory.resolve("resolv.conf"));
            assertTrue(resolv.contains("nameserver 10.9.8.7"), resolv);
            delete("/networks/" + network + "/endpoints/" + endpoint + "/containers/c-files").then().statusCode(200);
            assertTrue(Files.exists(directory.resolve("hosts")), "files at paths the caller gave belong to the caller");
        } finally {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    @Test
    void defaultFilesLiveInSandboxDirectory() throws Exception {
        String network = createNetwork(unique("deffiles"));
        String endpoint = createEndpoint(network, "ep");
        join(network, endpoint, "c-deffiles");
        Path directory = runRoot().resolve("sandboxes/c-deffiles");
        String address = get("/networks/" + network + "/endpoints/" + endpoint).jsonPath().getString("address").split("/")[0];
        assertTrue(Files.readString(directory.resolve("hosts")).contains("localhost"));
        assertTrue(Files.readString(directory.resolve("hosts")).contains(address + "\tc-deffiles"), "no line for the container's own name");
        assertTrue(Files.readString(directory.resolve("resolv.conf")).contains("nameserver"));
        delete("/networks/" + network + "/endpoints/" + endpoint + "/containers/c-deffiles").then().statusCode(200);
        assertFalse(Files.exists(directory), "sandbox directory left after the last leave");
    }

    @Test
    void parentUpdatesAddEntryToOtherSandbox() throws Exception {
        String network = createNetwork(unique("parent"));
        String parent = createEndpoint(network, "parent");
        String child = createEndpoint(network, "child");
        join(network, parent, "c-parent");
        post("/networks/" + network + "/endpoints/" + child + "/containers", """
                {"container_id":"c-child","parent_updates":[{"endpoint_id":"%s","name":"child","address":"10.3.3.3"}]}"""
                .formatted(parent)).then().statusCode(200);
        String hosts = Files.readString(runRoot().resolve("sandboxes/c-parent/hosts"));
        assertTrue(hosts.contains("10.3.3.3\tchild"), hosts);
    }

    @Test
    void parentUpdateOfUnjoinedEndpointIs409() {
        String network = createNetwork(unique("parent"));
        String parent = createEndpoint(network, "parent");
        String child = createEndpoint(network, "child");
        post("/networks/" + network + "/endpoints/" + child + "/containers", """
                {"container_id":"c-orphan","parent_updates":[{"endpoint_id":"%s","name":"child","address":"10.3.3.3"}]}"""
                .formatted(parent)).then().statusCode(409).body("message", containsString("parent_updates[0]"));
        get("/networks/" + network + "/endpoints/" + child).then().body("container_id", nullValue());
    }

    @Test
    void leaveReturnsEmptyBodyAndAllowsRejoin() {
        String network = createNetwork(unique("leave"));
        String endpoint = createEndpoint(network, "ep");
        join(network, endpoint, "c-leave");
        delete("/networks/" + network + "/endpoints/" + endpoint + "/containers/c-leave").then().statusCode(200).body(emptyString());
        get("/networks/" + network + "/endpoints/" + endpoint).then().body("container_id", nullValue());
        join(network, endpoint, "c-leave");
    }

    @Test
    void leaveOfOtherContainerIs404() {
        String network = createNetwork(unique("leave404"));
        String endpoint = createEndpoint(network, "ep");
        delete("/networks/" + network + "/endpoints/" + endpoint + "/containers/c-nobody").then()
                .statusCode(404).body("message", containsString("c-nobody"));
        join(network, endpoint, "c-someone");
        delete("/networks/" + network + "/endpoints/" + endpoint + "/containers/c-nobody").then()
                .statusCode(404).body("message", containsString("c-someone"));
        delete("/networks/" + network + "/endpoints/" + endpoint + "/containers/bad%20id").then().statusCode(400);
    }

    @Test
    void leaveAcceptsShortContainerId() {
        String network = createNetwork(unique("short"));
        String endpoint = createEndpoint(network, "ep");
        String container = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        join(network, endpoint, container);
        delete("/networks/" + network + "/endpoints/" + endpoint + "/containers/" + container.substring(0, 12)).then().statusCode(200);
    }

    @Test
    void deleteJoinedEndpointIs409() {
        String network = createNetwork(unique("joined"));
        String endpoint = createEndpoint(network, "ep");
        join(network, endpoint, "c-joined");
        delete("/networks/" + network + "/endpoints/" + endpoint).then().statusCode(409).body("message", containsString("c-joined"));
        get("/networks/" + network + "/endpoints/" + endpoint).then().statusCode(200);
    }

    @Test
    void defaultSandboxJoinReturnsHostNamespacePath() {
        String network = createNetwork(unique("defsb"));
        String endpoint = createEndpoint(network, "ep");
        var response = post("/networks/" + network + "/endpoints/" + endpoint + "/containers",
                "{\"container_id\":\"c-defsb\",\"use_default_sandbox\":true}");
        response.then().statusCode(200);
        assertEquals(runRoot().resolve("netns/default").toString(), response.as(String.class));
    }

    @Test
    void hostAndNoneNetworksJoin() {
        String hostEndpoint = createEndpoint("host", unique("h"));
        String noneEndpoint = createEndpoint("none", unique("n"));
        try {
            assertEquals(runRoot().resolve("netns/default").toString(), join("host", hostEndpoint, "c-hostnet"));
            assertEquals(runRoot().resolve("netns/c-nonenet").toString(), join("none", noneEndpoint, "c-nonenet"));
            // A container that shares the host namespace cannot also have one of its own.
            String other = createEndpoint("none", unique("n2"));
            try {
                post("/networks/none/endpoints/" + other + "/containers", "{\"container_id\":\"c-hostnet\"}").then().statusCode(409);
            } finally {
                delete("/networks/none/endpoints/" + other);
            }
        } finally {
            delete("/networks/host/endpoints/" + hostEndpoint + "/containers/c-hostnet");
            delete("/networks/none/endpoints/" + noneEndpoint + "/containers/c-nonenet");
            delete("/networks/host/endpoints/" + hostEndpoint);
            delete("/networks/none/endpoints/" + noneEndpoint);
        }
    }

    @Test
    void takenHostPortIs409AndChangesNothing() {
        String network = createNetwork(unique("port"));
        String mapping = "{\"name\":\"%s\",\"port_mapping\":[{\"proto\":6,\"port\":80,\"host_port\":18080}]}";
        String first = post("/networks/" + network + "/endpoints", mapping.formatted("first")).as(String.class);
        String second = post("/networks/" + network + "/endpoints", mapping.formatted("second")).as(String.class);
        join(network, first, "c-port1");
        post("/networks/" + network + "/endpoints/" + second + "/containers", "{\"container_id\":\"c-port2\"}").then()
                .statusCode(409)
                .body("message", allOf(containsString("18080"), containsString("first")));
        get("/networks/" + network + "/endpoints/" + second).then().body("container_id", nullValue());
        assertFalse(Files.exists(runRoot().resolve("netns/c-port2")), "a sandbox was left behind");
        delete("/networks/" + network + "/endpoints/" + first + "/containers/c-port1").then().statusCode(200);
        join(network, second, "c-port2");
    }
}
