package dev.junction.api;

import dev.junction.core.Endpoint;
import dev.junction.core.EndpointManager;
import dev.junction.core.JunctionException;
import dev.junction.core.Network;
import dev.junction.core.NetworkManager;
import jakarta.validation.Valid;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;

/**
 * Networks, their endpoints, and joining endpoints to containers. Every operation can fail with 400 and 500, so the
 * class declares those.
 */
@Tag(name = "Networks", description = "Networks, their endpoints, and joins of endpoints to containers")
@APIResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
@APIResponse(responseCode = "500", description = ApiDocs.SERVER_ERROR, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
@Path("/networks")
@Produces(MediaType.APPLICATION_JSON)
public class NetworksResource {

    private static final Set<String> FILTERS = Set.of(QueryFilter.NAME, QueryFilter.PARTIAL_ID);

    private final NetworkManager networks;
    private final EndpointManager endpoints;

    NetworksResource(NetworkManager networks, EndpointManager endpoints) {
        this.networks = networks;
        this.endpoints = endpoints;
    }

    @Operation(summary = "List networks", description = "Networks in creation order, the predefined none, host and bridge first. " + ApiDocs.FILTERS)
    @APIResponse(responseCode = "200", description = "The networks, [] when none match", content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY, implementation = Views.NetworkView.class)))
    @GET
    public List<Views.NetworkView> listNetworks(@Context UriInfo uri) {
        QueryFilter filter = QueryFilter.parse(uri, FILTERS);
        return networks.list().stream()
                .filter(network -> filter.matches(network.name(), network.id()))
                .map(network -> Views.NetworkView.of(network, networks.endpoints(network)))
                .toList();
    }

    @Operation(summary = "Create a network", description = "Creates a bridge network: a Linux bridge jn-<first 12 ID characters> with the gateway address. network_type \"\" or \"bridge\"; \"host\" and \"null\" are 403, since only the predefined networks have them, as in Docker. Names are unique. " + ApiDocs.NETWORK_OPTIONS)
    @APIResponse(responseCode = "200", description = "The new network's ID as a JSON string", content = @Content(mediaType = "application/json", schema = @Schema(implementation = String.class)))
    @APIResponse(responseCode = "403", description = "network_type is \"host\" or \"null\", which only the predefined networks have. " + ApiDocs.ERROR, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = ApiDocs.CONFLICT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "413", description = ApiDocs.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @POST
    public Response createNetwork(@Valid Requests.NetworkCreate body) {
        requireBody(body);
        return JsonResponses.string(networks.create(body.name(), body.networkType(), body.options()));
    }

    @Operation(summary = "Get a network", description = ApiDocs.REFERENCE)
    @APIResponse(responseCode = "200", description = "The network with its endpoints", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.NetworkView.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @GET
    @Path("{network}")
    public Views.NetworkView getNetwork(@PathParam("network") String network) {
        Network found = networks.get(network);
        return Views.NetworkView.of(found, networks.endpoints(found));
    }

    @Operation(summary = "Delete a network", description = "Deletes a network without endpoints and its bridge. 409 while it has endpoints, 403 for a predefined network. " + ApiDocs.REFERENCE)
    @APIResponse(responseCode = "200", description = "Deleted; the body is empty")
    @APIResponse(responseCode = "403", description = "A predefined network cannot be deleted. " + ApiDocs.ERROR, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = ApiDocs.CONFLICT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @DELETE
    @Path("{network}")
    public Response deleteNetwork(@PathParam("network") String network) {
        networks.delete(network);
        return JsonResponses.empty();
    }

    @Operation(summary = "List the endpoints of a network", description = "Endpoints in creation order. " + ApiDocs.FILTERS)
    @APIResponse(responseCode = "200", description = "The endpoints, [] when none match", content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY, implementation = Views.EndpointView.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @GET
    @Path("{network}/endpoints")
    public List<Views.EndpointView> listEndpoints(@PathParam("network") String network, @Context UriInfo uri) {
        QueryFilter filter = QueryFilter.parse(uri, FILTERS);
        Network found = networks.get(network);
        return networks.endpoints(found).stream()
                .filter(endpoint -> filter.matches(endpoint.name(), endpoint.id()))
                .map(endpoint -> Views.EndpointView.of(endpoint, found))
                .toList();
    }

    @Operation(summary = "Create an endpoint on a network", description = "Creates an endpoint with an IPv4 address of the network's subnet and a random locally administered MAC (bridge networks only). Names are unique per network. exposed_ports and port_mapping are validated (proto 6 or 17, ports 1 to 65535, IPv4 addresses) and stored; the mappings are published when a container joins. An internal network rejects port_mapping (400).")
    @APIResponse(responseCode = "200", description = "The new endpoint's ID as a JSON string", content = @Content(mediaType = "application/json", schema = @Schema(implementation = String.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = ApiDocs.CONFLICT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "413", description = ApiDocs.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @POST
    @Path("{network}/endpoints")
    public Response createEndpoint(@PathParam("network") String network, @Valid Requests.EndpointCreate body) {
        requireBody(body);
        return JsonResponses.string(endpoints.create(network, body.name(), Requests.ports(body.exposedPorts()),
                Requests.bindings(body.portMapping())));
    }

    @Operation(summary = "Get an endpoint", description = "Besides id, name and network: address, mac_address, exposed_ports, port_mapping (with the chosen host port while joined), and container_id, sandbox and interface while joined. " + ApiDocs.REFERENCE)
    @APIResponse(responseCode = "200", description = "The endpoint", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.EndpointView.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @GET
    @Path("{network}/endpoints/{endpoint}")
    public Views.EndpointView getEndpoint(@PathParam("network") String network, @PathParam("endpoint") String endpoint) {
        Endpoint found = endpoints.get(network, endpoint);
        return Views.EndpointView.of(found, networks.get(found.networkId()));
    }

    @Operation(summary = "Delete an endpoint", description = "Deletes an endpoint that no container is joined to (409 otherwise) and releases its address.")
    @APIResponse(responseCode = "200", description = "Deleted; the body is empty")
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = ApiDocs.CONFLICT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @DELETE
    @Path("{network}/endpoints/{endpoint}")
    public Response deleteEndpoint(@PathParam("network") String network, @PathParam("endpoint") String endpoint) {
        endpoints.delete(network, endpoint);
        return JsonResponses.empty();
    }

    @Operation(summary = "Join an endpoint to a container", description = "Creates the container's sandbox on its first join: a network namespace bound at <run-root>/netns/<first 12 characters of a 64-hex container_id, else the whole ID>, with loopback up. Adds a veth pair: one end on the bridge, the other in the sandbox as eth0 (eth1 and so on for further networks) with the endpoint's address and MAC, and the default route through the gateway of the first network joined that is not internal. Writes the hosts file and resolv.conf to hosts_path and resolv_conf_path (absolute, without .., never through a symbolic link; an existing file must be empty or written by Junction, else 409) or into the sandbox's directory; an empty string means not given. dns defaults to the host's non-loopback nameservers, else 8.8.8.8 and 8.8.4.4, as Docker does. parent_updates adds a hosts entry to the sandbox of the endpoint it names. use_default_sandbox: true (and any join to the host network) uses the host namespace and returns <run-root>/netns/default. Publishes the endpoint's port mappings; a host port taken by another mapping or a listening process is 409. 409 when the endpoint is already joined or the container already has an endpoint on this network.")
    @APIResponse(responseCode = "200", description = "The container's namespace path as a JSON string", content = @Content(mediaType = "application/json", schema = @Schema(implementation = String.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = ApiDocs.CONFLICT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "413", description = ApiDocs.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @POST
    @Path("{network}/endpoints/{endpoint}/containers")
    public Response joinContainer(@PathParam("network") String network, @PathParam("endpoint") String endpoint,
                                  @Valid Requests.Join body) {
        requireBody(body);
        return JsonResponses.string(endpoints.join(network, endpoint, body.toCore()));
    }

    @Operation(summary = "Detach an endpoint from a container", description = "Removes the veth pair and the published ports, and the sandbox with its last endpoint. The container may be given by its full ID or its 12-character short form. Succeeds when the devices or the namespace are already gone.")
    @APIResponse(responseCode = "200", description = "Detached; the body is empty")
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @DELETE
    @Path("{network}/endpoints/{endpoint}/containers/{container}")
    public Response leaveContainer(@PathParam("network") String network, @PathParam("endpoint") String endpoint,
                                   @PathParam("container") String container) {
        endpoints.leave(network, endpoint, container);
        return JsonResponses.empty();
    }

    static void requireBody(Object body) {
        if (body == null) {
            throw JunctionException.invalid("the request body is missing: send a JSON object");
        }
    }
}
