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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;

/**
 * Services: endpoints addressed without their network, with containers attached as backends. Every operation can fail
 * with 400 and 500, so the class declares those.
 */
@Tag(name = "Services", description = "Services are endpoints addressed without their network; a backend is a joined container")
@APIResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
@APIResponse(responseCode = "500", description = ApiDocs.SERVER_ERROR, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
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

    @Operation(summary = "List services", description = "The endpoints of all networks. At most one filter: name, partial-id, or network (a network name or full ID; an unknown network gives []). An unknown, repeated or empty filter is 400.")
    @APIResponse(responseCode = "200", description = "The services, [] when none match", content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY, implementation = Views.EndpointView.class)))
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

    @Operation(summary = "Publish a service", description = "Creates an endpoint named name on network_name (a network reference), as an endpoint create does.")
    @APIResponse(responseCode = "200", description = "The new service's ID as a JSON string", content = @Content(mediaType = "application/json", schema = @Schema(implementation = String.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = ApiDocs.CONFLICT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "413", description = ApiDocs.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @POST
    public Response publishService(@Valid Requests.ServicePublish body) {
        NetworksResource.requireBody(body);
        return JsonResponses.string(services.publish(body.name(), body.networkName(), Requests.ports(body.exposedPorts()),
                Requests.bindings(body.portMapping())));
    }

    @Operation(summary = "Get a service", description = "A full ID, an exact name (400 listing the IDs when several networks have a service of that name), or a unique ID prefix.")
    @APIResponse(responseCode = "200", description = "The service", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.EndpointView.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @GET
    @Path("{service}")
    public Views.EndpointView getService(@PathParam("service") String service) {
        Endpoint found = services.get(service);
        return Views.EndpointView.of(found, networks.get(found.networkId()));
    }

    @Operation(summary = "Unpublish a service", description = "Deletes the service's endpoint; 409 while a backend is attached.")
    @APIResponse(responseCode = "200", description = "Unpublished; the body is empty")
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = ApiDocs.CONFLICT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @DELETE
    @Path("{service}")
    public Response unpublishService(@PathParam("service") String service) {
        services.unpublish(service);
        return JsonResponses.empty();
    }

    @Operation(summary = "Attach a backend to a service", description = "Joins the container to the service's endpoint, with the body and behaviour of a join.")
    @APIResponse(responseCode = "200", description = "The container's namespace path as a JSON string", content = @Content(mediaType = "application/json", schema = @Schema(implementation = String.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "409", description = ApiDocs.CONFLICT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "413", description = ApiDocs.TOO_LARGE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @POST
    @Path("{service}/backend")
    public Response attachBackend(@PathParam("service") String service, @Valid Requests.Join body) {
        NetworksResource.requireBody(body);
        return JsonResponses.string(services.attach(service, body.toCore()));
    }

    @Operation(summary = "List the backends of a service", description = "[{\"id\": container_id}] while a container is attached, else [].")
    @APIResponse(responseCode = "200", description = "The backends", content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY, implementation = Views.BackendView.class)))
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @GET
    @Path("{service}/backend")
    public List<Views.BackendView> listBackends(@PathParam("service") String service) {
        return services.backends(service).stream().map(Views.BackendView::new).toList();
    }

    @Operation(summary = "Detach a backend from a service", description = "Detaches the container, as a leave does.")
    @APIResponse(responseCode = "200", description = "Detached; the body is empty")
    @APIResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @APIResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(mediaType = "application/json", schema = @Schema(implementation = Views.ErrorBody.class)))
    @DELETE
    @Path("{service}/backend/{container}")
    public Response detachBackend(@PathParam("service") String service, @PathParam("container") String container) {
        services.detach(service, container);
        return JsonResponses.empty();
    }
}
