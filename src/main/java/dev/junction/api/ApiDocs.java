package dev.junction.api;

/** Texts of the OpenAPI description, shared by the resources; annotations need constants. */
final class ApiDocs {

    static final String ERROR = "{\"message\": \"...\"} naming the field or object and the value";
    static final String BAD_REQUEST = "Malformed JSON, a wrong type, a missing or invalid field, an unknown option key, "
            + "an unknown or repeated query filter, two filters at once, or an ambiguous ID prefix (the message lists the matches). "
            + ERROR;
    static final String NOT_FOUND = "No such network, endpoint, service or container. " + ERROR;
    static final String CONFLICT = "The request conflicts with the current state. " + ERROR;
    static final String TOO_LARGE = "The request body is over 1 MiB. " + ERROR;
    static final String UNAVAILABLE = "The daemon is stopping. " + ERROR;
    static final String SERVER_ERROR = "A kernel call failed or a bug; the daemon logs it. " + ERROR;

    static final String REFERENCE = "A full ID, an exact name (a leading '/' is optional, as in Docker's container names), "
            + "or a unique ID prefix, tried in that order.";
    static final String FILTERS = "At most one filter: name (exact name) or partial-id (ID prefix). An unknown, repeated "
            + "or empty filter is 400.";

    static final String NETWORK_OPTIONS = "Options of a bridge network; any other key is 400 naming it. "
            + "subnet: IPv4 CIDR string such as \"172.30.0.0/16\", prefix length 8 to 30, not overlapping another network "
            + "or the subnet of a host address (409) or a reserved range (400); without it the first free subnet of junction.default-pools that no host "
            + "address or route overlaps is used, as Docker does. "
            + "gateway: IPv4 address string inside subnet; default the first host address. "
            + "mtu: integer or numeric string, 68 to 65535; default junction.mtu. "
            + "internal: true or false, or the string \"true\" or \"false\" (Docker's --internal): no traffic beyond the network, "
            + "no published ports, and no default route for its containers. "
            + "enable_icc: true or false, or the string \"true\" or \"false\", default true: whether containers of the network "
            + "reach each other.";

    private ApiDocs() {
    }
}
