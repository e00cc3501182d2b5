package dev.junction.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.core.Host;
import dev.junction.core.JunctionConfig;
import dev.junction.core.Network;
import dev.junction.core.PortBinding;
import dev.junction.core.StartupException;
import dev.junction.kernel.Nftables;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nftables rules of bridge networks, in two tables that Junction owns: {@code ip junction}
 * (port publishing, masquerade, isolation between networks) and {@code bridge junction}
 * (isolation inside networks without inter-container communication). No other table is touched.
 *
 * <p>The rules are fixed; networks and endpoints only add and remove elements of sets and maps,
 * so the thousandth published port costs what the first does, and taking an endpoint apart
 * restores the ruleset exactly. Each change is one {@code nft -f -} transaction. The class keeps
 * the wanted elements as a model: when a change cannot be applied, for instance because someone
 * flushed the table, it rebuilds both tables from the model in one transaction.
 *
 * <p>Published ports: traffic to a host address (including 127.0.0.1) and a published port is
 * DNATed to the container in prerouting and output. Loopback traffic works because each bridge
 * has {@code route_localnet=1} and traffic from 127.0.0.0/8 to a bridge is masqueraded. Traffic
 * that a container sends to its own network through a published port (hairpin) is masqueraded
 * too, so that replies come back through the host.
 *
 * <p>The NAT rules match source addresses, not input devices: with {@code br_netfilter} loaded
 * the input device of a routed packet is not the bridge in the postrouting hook (seen on Linux
 * 6.18), while the filter rules' device matches hold with and without it.
 */
@ApplicationScoped
public class BridgeFirewall {

    public static final String TABLE = "junction";

    private static final Logger LOG = Logger.getLogger(BridgeFirewall.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The elements of one joined endpoint: its published ports and, without inter-container communication, its bridge port. */
    public record EndpointRules(String endpointId, String hostInterface, boolean isolated, List<PortBinding> published) {

        public EndpointRules {
            published = List.copyOf(published);
        }

        boolean empty() {
            return !isolated && published.isEmpty();
        }
    }

    private final Host host;
    private final JunctionConfig config;
    private Nftables nft;
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, EndpointRules> endpoints = new LinkedHashMap<>();
    private boolean deferred;

    BridgeFirewall(Host host, JunctionConfig config) {
        this.host = host;
        this.config = config;
    }

    /**
     * Finds nft, and defers changes to the model until {@link #commit}, so that the start-up
     * reconcile can load the whole ruleset in one transaction.
     */
    public synchronized void start() {
        String executable = config.firewall().nft();
        if (Nftables.locate(executable) == null) {
            throw new StartupException("nft (" + executable + ") was not found; Junction programs its firewall with it. "
                    + "Install the " + Nftables.PACKAGE + " package (apt-get install " + Nftables.PACKAGE + "), "
                    + "or set junction.firewall.nft to its path.");
        }
        nft = new Nftables(executable);
        networks.clear();
        endpoints.clear();
        deferred = true;
    }

    /**
     * Replaces both tables with the model in one transaction and returns the elements that
     * were stale (present but not wanted) and missing (wanted but absent), for the reconcile log.
     */
    public synchronized Changes commit() {
        deferred = false;
        JsonNode ruleset;
        try {
            ruleset = ruleset();
        } catch (RuntimeException e) {
            throw new StartupException("nft cannot list the ruleset of " + host.namespace() + ": " + e.getMessage()
                    + ". The kernel needs nf_tables support.");
        }
        Set<String> before = elements(ruleset);
        boolean existed = tableExists(ruleset);
        nft.apply(host.namespace(), fullScript());
        if (!existed) {
            // Every element is new: listing them again would only repeat the model.
            return new Changes(false, Set.of(), Set.of());
        }
        Set<String> after = elements(ruleset());
        Set<String> stale = new TreeSet<>(before);
        stale.removeAll(after);
        Set<String> missing = new TreeSet<>(after);
        missing.removeAll(before);
        return new Changes(existed, stale, missing);
    }

    /** The elements a {@link #commit} removed and added, each as {@code set: element}. */
    public record Changes(boolean tablesExisted, Set<String> stale, Set<String> missing) {
    }

    public synchronized void addNetwork(Network network) {
        networks.put(network.device(), network);
        if (deferred) {
            return;
        }
        try {
            apply(networkElements("add", network));
        } catch (RuntimeException e) {
            networks.remove(network.device());
            throw e;
        }
    }

    /** Removes a network's elements; succeeds when they are already gone. */
    public synchronized void removeNetwork(Network network) {
        Network removed = networks.remove(network.device());
        if (deferred || removed == null) {
            return;
        }
        apply(networkElements("add", network) + networkElements("delete", network));
    }

    public synchronized void addEndpoint(EndpointRules rules) {
        endpoints.put(rules.endpointId(), rules);
        if (deferred || rules.empty()) {
            return;
        }
        try {
            apply(endpointElements("add", rules));
        } catch (RuntimeException e) {
            endpoints.remove(rules.endpointId());
            throw e;
        }
    }

    /** Removes an endpoint's elements; succeeds when they are already gone. */
    public synchronized void removeEndpoint(String endpointId) {
        EndpointRules rules = endpoints.remove(endpointId);
        if (deferred || rules == null || rules.empty()) {
            return;
        }
        apply(endpointElements("add", rules) + endpointElements("delete", rules));
    }

    /** Applies a change; when it fails, rebuilds both tables from the model instead. */
    private void apply(String script) {
        try {
            nft.apply(host.namespace(), script);
        } catch (Nftables.NftablesException e) {
            LOG.warnf("Cannot apply a firewall change (%s); rebuilding tables ip %s and bridge %s from the stored state",
                    e.getMessage(), TABLE, TABLE);
            nft.apply(host.namespace(), fullScript());
        }
    }

    private static String networkElements(String verb, Network network) {
        String device = quote(network.device());
        StringBuilder script = new StringBuilder();
        element(script, verb, "ip", "bridges", device);
        element(script, verb, "ip", "bridge_pairs", device + " . " + device);
        element(script, verb, "ip", "bridge_subnets", network.subnet() + " . " + device);
        if (network.internal()) {
            element(script, verb, "ip", "internal_bridges", device);
        } else {
            element(script, verb, "ip", "nat_subnets", network.subnet().toString());
        }
        return script.toString();
    }

    private static String endpointElements(String verb, EndpointRules rules) {
        StringBuilder script = new StringBuilder();
        if (rules.isolated()) {
            element(script, verb, "bridge", "isolated_ports", quote(rules.hostInterface()));
        }
        for (PortBinding binding : rules.published()) {
            String key = publishedKey(binding);
            String value = verb.equals("delete") ? key : key + " : " + binding.ip() + " . " + binding.port();
            element(script, verb, "ip", mapOf(binding), value);
        }
        return script.toString();
    }

    private static void element(StringBuilder script, String verb, String family, String set, String element) {
        script.append(verb).append(" element ").append(family).append(' ').append(TABLE).append(' ').append(set)
                .append(" { ").append(element).append(" }\n");
    }

    private static boolean anyAddress(PortBinding binding) {
        return binding.hostIp().isEmpty() || binding.hostIp().equals("0.0.0.0");
    }

    private static String mapOf(PortBinding binding) {
        return anyAddress(binding) ? "published_any" : "published_addr";
    }

    private static String publishedKey(PortBinding binding) {
        String protocol = PortBinding.protocolName(binding.proto());
        return anyAddress(binding)
                ? protocol + " . " + binding.hostPort()
                : binding.hostIp() + " . " + protocol + " . " + binding.hostPort();
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }

    /** Renders both tables with every element of the model, replacing what exists. */
    private String fullScript() {
        Set<String> bridges = new LinkedHashSet<>();
        Set<String> pairs = new LinkedHashSet<>();
        Set<String> bridgeSubnets = new LinkedHashSet<>();
        Set<String> internalBridges = new LinkedHashSet<>();
        Set<String> natSubnets = new LinkedHashSet<>();
        for (Network network : networks.values()) {
            String device = quote(network.device());
            bridges.add(device);
            pairs.add(device + " . " + device);
            bridgeSubnets.add(network.subnet() + " . " + device);
            if (network.internal()) {
                internalBridges.add(device);
            } else {
                natSubnets.add(network.subnet().toString());
            }
        }
        Set<String> isolatedPorts = new LinkedHashSet<>();
        List<String> publishedAny = new ArrayList<>();
        List<String> publishedAddress = new ArrayList<>();
        for (EndpointRules rules : endpoints.values()) {
            if (rules.isolated()) {
                isolatedPorts.add(quote(rules.hostInterface()));
            }
            for (PortBinding binding : rules.published()) {
                String element = publishedKey(binding) + " : " + binding.ip() + " . " + binding.port();
                (anyAddress(binding) ? publishedAny : publishedAddress).add(element);
            }
        }
        return """
                table ip %1$s {}
                delete table ip %1$s
                table ip %1$s {
                    set bridges { type ifname;%2$s }
                    set bridge_pairs { type ifname . ifname;%3$s }
                    set bridge_subnets { type ipv4_addr . ifname; flags interval;%4$s }
                    set internal_bridges { type ifname;%5$s }
                    set nat_subnets { type ipv4_addr; flags interval;%6$s }
                    map published_any { type inet_proto . inet_service : ipv4_addr . inet_service;%7$s }
                    map published_addr { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service;%8$s }

                    chain prerouting {
                        type nat hook prerouting priority dstnat; policy accept;
                        fib daddr type local jump publish
                    }
                    chain output {
                        type nat hook output priority -100; policy accept;
                        fib daddr type local jump publish
                    }
                    chain publish {
                        dnat ip to ip daddr . meta l4proto . th dport map @published_addr
                        dnat ip to meta l4proto . th dport map @published_any
                    }
                    chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        ct status dnat ip saddr . oifname @bridge_subnets masquerade
                        ip saddr 127.0.0.0/8 oifname @bridges masquerade
                        ip saddr @nat_subnets oifname != @bridges masquerade
                    }
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname . oifname @bridge_pairs accept
                        iifname @internal_bridges drop
                        oifname @internal_bridges drop
                        ct state established,related accept
                        oifname @bridges ct status dnat accept
                        iifname @bridges oifname @bridges drop
                        iifname @bridges accept
                        oifname @bridges drop
                    }
                }
                table bridge %1$s {}
                delete table bridge %1$s
                table bridge %1$s {
                    set isolated_ports { type ifname;%9$s }
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname @isolated_ports drop
                    }
                }
                """.formatted(TABLE, elements(bridges), elements(pairs), elements(bridgeSubnets), elements(internalBridges),
                elements(natSubnets), elements(publishedAny), elements(publishedAddress), elements(isolatedPorts));
    }

    private static String elements(Collection<String> elements) {
        return elements.isEmpty() ? "" : " elements = { " + String.join(", ", elements) + " };";
    }

    private JsonNode ruleset() {
        try {
            return JSON.readTree(nft.listRulesetJson(host.namespace()));
        } catch (IOException e) {
            throw new IllegalStateException("nft printed invalid JSON", e);
        }
    }

    private static boolean tableExists(JsonNode ruleset) {
        for (JsonNode item : ruleset.path("nftables")) {
            JsonNode table = item.get("table");
            if (table != null && TABLE.equals(table.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Lists the elements of Junction's sets and maps as {@code family set: element} strings. */
    private static Set<String> elements(JsonNode ruleset) {
        Set<String> found = new TreeSet<>();
        for (JsonNode item : ruleset.path("nftables")) {
            JsonNode set = item.has("set") ? item.get("set") : item.get("map");
            if (set == null || !TABLE.equals(set.path("table").asText())) {
                continue;
            }
            for (JsonNode element : set.path("elem")) {
                found.add(set.path("family").asText() + " " + set.path("name").asText() + ": " + element);
            }
        }
        return found;
    }
}
