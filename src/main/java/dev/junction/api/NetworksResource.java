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

import java.util.List;
import java.util.Set;

/** Networks, their endpoints, and joining endpoints to containers. */
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

    @GET
    public List<Views.NetworkView> listNetworks(@Context UriInfo uri) {
        QueryFilter filter = QueryFilter.parse(uri, FILTERS);
        return networks.list().stream()
                .filter(network -> filter.matches(network.name(), network.id()))
                .map(network -> Views.NetworkView.of(network, networks.endpoints(network)))
                .toList();
    }

    @POST
    public Response createNetwork(@Valid Requests.NetworkCreate body) {
        requireBody(body);
        return JsonResponses.string(networks.create(body.name(), body.networkType(), body.options()));
    }

    @GET
    @Path("{network}")
    public Views.NetworkView getNetwork(@PathParam("network") String network) {
        Network found = networks.get(network);
        return Views.NetworkView.of(found, networks.endpoints(found));
    }

    @DELETE
    @Path("{network}")
    public Response deleteNetwork(@PathParam("network") String network) {
        networks.delete(network);
        return JsonResponses.empty();
    }

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

    @POST
    @Path("{network}/endpoints")
    public Response createEndpoint(@PathParam("network") String network, @Valid Requests.EndpointCreate body) {
        requireBody(body);
        return JsonResponses.string(endpoints.create(network, body.name(), Requests.ports(body.exposedPorts()),
                Requests.bindings(body.portMapping())));
    }

    @GET
    @Path("{network}/endpoints/{endpoint}")
    public Views.EndpointView getEndpoint(@PathParam("network") String network, @PathParam("endpoint") String endpoint) {
        Endpoint found = endpoints.get(network, endpoint);
        return Views.EndpointView.of(found, networks.get(found.networkId()));
    }

    @DELETE
    @Path("{network}/endpoints/{endpoint}")
    public Response deleteEndpoint(@PathParam("network") String network, @PathParam("endpoint") String endpoint) {
        endpoints.delete(network, endpoint);
        return JsonResponses.empty();
    }

    @POST
    @Path("{network}/endpoints/{endpoint}/containers")
    public Response joinContainer(@PathParam("network") String network, @PathParam("endpoint") String endpoint,
                                  @Valid Requests.Join body) {
        requireBody(body);
        return JsonResponses.string(endpoints.join(network, endpoint, body.toCore()));
    }

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
