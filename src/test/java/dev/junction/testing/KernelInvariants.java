package dev.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks of what the API reports against what the kernel has, read with ip -j and from the run root
 * only. Every network's bridge and every joined endpoint's devices must exist. Nothing with
 * Junction's prefixes may exist that the API does not report, and no address is handed out twice.
 */
public final class KernelInvariants {

    private KernelInvariants() {
    }

    /** Returns every broken invariant; an empty list means the daemon and the kernel agree. */
    public static List<String> check(UnixHttpClient api, TestNamespace host, Path runRoot) {
        List<String> problems = new ArrayList<>();
        JsonNode networks = api.get("/networks").json();
        Set<String> links = new HashSet<>(host.linkNames());
        Map<String, String> masters = new HashMap<>();
        for (JsonNode link : host.ip("link", "show")) {
            if (link.has("master")) {
                masters.put(link.get("ifname").asText(), link.get("master").asText());
            }
        }

        Set<String> expectedLinks = new HashSet<>();
        Set<String> expectedKeys = new TreeSet<>();
        for (JsonNode network : networks) {
            String device = network.path("device").asText(null);
            if (device != null) {
                expectedLinks.add(device);
                if (!links.contains(device)) {
                    problems.add("network " + network.get("name").asText() + " has no bridge " + device);
                }
            }
            Set<String> addresses = new HashSet<>();
            for (JsonNode endpoint : network.get("endpoints")) {
                String id = endpoint.get("id").asText();
                String address = endpoint.path("address").asText(null);
                if (address != null && !addresses.add(address)) {
                    problems.add("address " + address + " is handed out twice in network " + network.get("name").asText());
                }
                if (address != null && address.split("/")[0].equals(network.path("gateway").asText())) {
                    problems.add("endpoint " + id + " has the gateway address " + address);
                }

                if (!endpoint.has("container_id")) {
                    continue;
                }
                String sandbox = endpoint.get("sandbox").asText();
                expectedKeys.add(Path.of(sandbox).getFileName().toString());
                if (device == null) {
                    continue;
                }

                String veth = "jv-" + id.substring(0, 12);
                expectedLinks.add(veth);
                if (!links.contains(veth)) {
                    problems.add("joined endpoint " + id + " has no device " + veth);
                } else if (!device.equals(masters.get(veth))) {
                    problems.add("device " + veth + " is attached to " + masters.get(veth) + " instead of " + device);
                }

                String inside = endpoint.get("interface").asText();
                if (inside.startsWith("jc-")) {
                    expectedLinks.add(inside);
                } else if (Files.exists(Path.of(sandbox))) {
                    JsonNode insideDevice = TestNamespace.ipIn(Path.of(sandbox), "addr", "show", "dev", inside);
                    if (insideDevice.isEmpty() || !insideDevice.get(0).toString().contains(address.split("/")[0])) {
                        problems.add("sandbox " + sandbox + " has no " + inside + " with " + address);
                    }
                } else {
                    problems.add("joined endpoint " + id + " has no namespace file " + sandbox);
                }
            }
        }

        for (String link : links) {
            boolean ours = link.startsWith("jn-") || link.startsWith("jv-") || link.startsWith("jc-");
            if (ours && !expectedLinks.contains(link)) {
                problems.add("device " + link + " belongs to no network or joined endpoint");
            }
        }

        Set<String> namespaceFiles = new TreeSet<>(names(runRoot.resolve("netns")));
        namespaceFiles.remove("default");
        Set<String> ownNamespaces = new TreeSet<>(expectedKeys);
        ownNamespaces.remove("default");
        if (!namespaceFiles.equals(ownNamespaces)) {
            problems.add("namespace files " + namespaceFiles + " differ from the joined containers' " + ownNamespaces);
        }
        return problems;
    }

    private static List<String> names(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
