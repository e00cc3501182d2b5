package dev.junction.api;

import dev.junction.core.Endpoint;
import dev.junction.core.NetworkManager;
import dev.junction.core.Names;
import dev.junction.core.ServiceManager;
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

/** Services: endpoints addressed without their network, with containers attached as backends. */
@Path("/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    private static final Set<String> FILTERS = Set.of(QueryFilter.NAME, QueryFilter.PARTIAL_ID, QueryFilter.NETWORK);

    private final ServiceManager services;
    private final NetworkManager networks;

    ServicesResource(ServiceManager services, NetworkManager networks) {
        this.services = services;
        this.networks = networks;
    }

    @GET
    public List<Views.EndpointView> listServices(@Context UriInfo uri) {
        QueryFilter filter = QueryFilter.parse(uri, FILTERS);
        return services.list().stream()
                .map(service -> Views.EndpointView.of(service, networks.byId(service.networkId()).orElseThrow()))
                .filter(view -> QueryFilter.NETWORK.equals(filter.key())
                        ? Names.key(view.network()).equals(Names.key(filter.value())) || view.networkId().equals(filter.value())
                        : filter.matches(view.name(), view.id()))
                .toList();
    }

    @POST
    public Response publishService(@Valid Requests.ServicePublish body) {
        NetworksResource.requireBody(body);
        return JsonResponses.string(services.publish(body.name(), body.networkName(), Requests.ports(body.exposedPorts()),
                Requests.bindings(body.portMapping())));
    }

    @GET
    @Path("{service}")
    public Views.EndpointView getService(@PathParam("service") String service) {
        Endpoint found = services.get(service);
        return Views.EndpointView.of(found, networks.get(found.networkId()));
    }

    @DELETE
    @Path("{service}")
    public Response unpublishService(@PathParam("service") String service) {
        services.unpublish(service);
        return JsonResponses.empty();
    }

    @POST
    @Path("{service}/backend")
    public Response attachBackend(@PathParam("service") String service, @Valid Requests.Join body) {
        NetworksResource.requireBody(body);
        return JsonResponses.string(services.attach(service, body.toCore()));
    }

    @GET
    @Path("{service}/backend")
    public List<Views.BackendView> listBackends(@PathParam("service") String service) {
        return services.backends(service).stream().map(Views.BackendView::new).toList();
    }

    @DELETE
    @Path("{service}/backend/{container}")
    public Response detachBackend(@PathParam("service") String service, @PathParam("container") String container) {
        services.detach(service, container);
        return JsonResponses.empty();
    }
}
