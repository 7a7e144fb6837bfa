package dev.baserdb.api.platform.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.api.platform.BuildVersion;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.kernel.error.ErrorCode;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.DateTimeSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI document as a contract generated clients can rely on (docs/openapi.md). springdoc
 * describes each handler; this class adds what a handler's signature cannot say, from the rules the
 * platform applies to every route, so a new route gets them without extra work:
 * <ul>
 *   <li>security: a handler that takes a {@link Principal} needs bearer or {@code X-API-Key};
 *       {@link AnonymousAllowed} offers both or nothing; any other handler is public;</li>
 *   <li>error responses: the error envelope with its {@code code} enum for every status the
 *       route's method, authentication, path and body can produce (API.md §1);</li>
 *   <li>success: the typed envelope named by {@link Returns}, with its status;</li>
 *   <li>the data API's query parameters ({@link DataQueryParameters});</li>
 *   <li>the conditional and idempotency headers of API.md §1;</li>
 *   <li>snake_case property names, as the API's own ObjectMapper writes and reads them.</li>
 * </ul>
 */
@Configuration
class OpenApiContract {

    static final String BEARER = "bearer";
    static final String API_KEY = "apiKey";
    private static final String SCHEMAS = "#/components/schemas/";

    static {
        // A JSON tree in a record is any JSON value, not a Java type the document should name.
        SpringDocUtils.getConfig().replaceWithSchema(com.fasterxml.jackson.databind.JsonNode.class, new Schema<>())
                .replaceWithSchema(com.fasterxml.jackson.databind.node.ObjectNode.class, new ObjectSchema())
                .replaceWithSchema(com.fasterxml.jackson.databind.node.ArrayNode.class, new ArraySchema().items(new Schema<>()));
    }

    /** Schemas named by {@link Returns} on handlers, resolved once and added to the components. */
    private final Map<String, Schema<?>> resolved = new ConcurrentHashMap<>();

    @Bean
    OpenAPI openApi(BuildVersion version) {
        return new OpenAPI()
                .info(new Info().title("BaserDB API").version(version.value())
                        .description("Event-sourced backend platform: every change is an immutable event. "
                                + "Every response is an envelope {success, data, meta, error}; errors carry a "
                                + "stable `code`. Authenticate with `Authorization: Bearer <access token, "
                                + "personal access token or service key>` or `X-API-Key: <the same>`."))
                // Relative: the document is served by the API it describes, so "Try it out" in /docs
                // and clients that load it from the server call that same server.
                .servers(List.of(new Server().url("/").description("this server")))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("JWT or bdb_pat_… / bdb_sk_…")
                                .description("A platform access token (from /auth/login), a personal access token "
                                        + "(bdb_pat_…), a project service key (bdb_sk_…) or a project-user token "
                                        + "(from the data login)."))
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key")
                                .description("The same credentials as bearer, in the X-API-Key header.")));
    }

    /** Property names as the API writes them: the API's own mapper (snake_case) describes the records. */
    @Bean
    ModelResolver snakeCaseModelResolver(ObjectMapper objectMapper) {
        return new ModelResolver(objectMapper.copy()).openapi31(true);
    }

    @Bean
    GlobalOperationCustomizer contractOperations() {
        return this::customize;
    }

    @Bean
    GlobalOpenApiCustomizer contractComponents() {
        return this::complete;
    }

    // --- per operation -----------------------------------------------------------------------

    private Operation customize(Operation operation, HandlerMethod handler) {
        Access access = access(handler);
        operation.setSecurity(switch (access) {
            case AUTHENTICATED -> List.of(new SecurityRequirement().addList(BEARER), new SecurityRequirement().addList(API_KEY));
            case OPTIONAL -> List.of(new SecurityRequirement().addList(BEARER), new SecurityRequirement().addList(API_KEY),
                    new SecurityRequirement());
            case PUBLIC -> List.of();
        });
        String method = httpMethod(handler);
        DataQueryParameters data = handler.getMethodAnnotation(DataQueryParameters.class);
        if (data != null) {
            dataParameters(operation, data.value());
        }
        headers(operation, method, handler);
        Accepts accepts = handler.getMethodAnnotation(Accepts.class);
        if (accepts != null) {
            accepts(operation, accepts);
        }
        success(operation, handler.getMethodAnnotation(Returns.class));
        errors(operation, method, access, handler, data != null);
        return operation;
    }

    enum Access { AUTHENTICATED, OPTIONAL, PUBLIC }

    static Access access(HandlerMethod handler) {
        boolean principal = Arrays.stream(handler.getMethodParameters())
                .anyMatch(parameter -> parameter.getParameterType() == Principal.class);
        if (principal) {
            return Access.AUTHENTICATED;
        }
        if (handler.hasMethodAnnotation(AnonymousAllowed.class)
                || handler.getBeanType().isAnnotationPresent(AnonymousAllowed.class)) {
            return Access.OPTIONAL;
        }
        return Access.PUBLIC;
    }

    private static String httpMethod(HandlerMethod handler) {
        if (handler.hasMethodAnnotation(PostMapping.class)) {
            return "POST";
        }
        if (handler.hasMethodAnnotation(PutMapping.class)) {
            return "PUT";
        }
        if (handler.hasMethodAnnotation(PatchMapping.class)) {
            return "PATCH";
        }
        if (handler.hasMethodAnnotation(DeleteMapping.class)) {
            return "DELETE";
        }
        return "GET";
    }

    private void success(Operation operation, Returns returns) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        if (returns == null) {
            // An undeclared result keeps springdoc's reference to Envelope, which complete() makes the
            // generic success envelope (data of any type) instead of the Java record.
            return;
        }
        String name = returns.schema().isEmpty() ? schemaOf(returns.value()) : returns.schema();
        Schema<?> item = new Schema<>().$ref(SCHEMAS + name);
        String envelope = name + (returns.list() ? "ListEnvelope" : "Envelope");
        resolved.computeIfAbsent(envelope, ignored -> envelope(
                returns.list() ? new ArraySchema().items(item) : item,
                returns.list() ? "A page of " + name + ": data is an array, meta.page describes the page."
                        : "The " + name + " in data."));
        String status = Integer.toString(returns.status());
        ApiResponse response = responses.getOrDefault("200", new ApiResponse());
        if (!"200".equals(status)) {
            responses.remove("200");
        }
        response.setDescription(switch (returns.status()) {
            case 201 -> "Created";
            case 202 -> "Accepted";
            default -> "OK";
        });
        Content content = response.getContent() == null ? new Content() : response.getContent();
        MediaType json = new MediaType().schema(new Schema<>().$ref(SCHEMAS + envelope));
        content.keySet().removeIf(type -> type.equals("*/*"));
        content.put(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, json);
        response.setContent(content);
        responses.put(status, response);
    }

    private void accepts(Operation operation, Accepts accepts) {
        String name = accepts.schema().isEmpty() ? schemaOf(accepts.value()) : accepts.schema();
        io.swagger.v3.oas.models.parameters.RequestBody body = operation.getRequestBody() == null
                ? new io.swagger.v3.oas.models.parameters.RequestBody() : operation.getRequestBody();
        body.setRequired(true);
        body.setContent(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref(SCHEMAS + name))));
        operation.setRequestBody(body);
    }

    /** The schema name of a result class, resolving it (and what it references) once. */
    private String schemaOf(Class<?> type) {
        ResolvedSchema schema = ModelConverters.getInstance(true)
                .resolveAsResolvedSchema(new AnnotatedType(type).resolveAsRef(true));
        if (schema.referencedSchemas != null) {
            schema.referencedSchemas.forEach(resolved::putIfAbsent);
        }
        String ref = schema.schema.get$ref();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static Schema<?> envelope(Schema<?> data, String description) {
        return new ObjectSchema().description(description)
                .addProperty("success", new BooleanSchema().description("true"))
                .addProperty("data", data)
                .addProperty("meta", new Schema<>().$ref(SCHEMAS + "Meta"))
                .addProperty("error", new Schema<>().$ref(SCHEMAS + "ApiError"))
                .required(List.of("success", "data", "meta"));
    }

    private static void headers(Operation operation, String method, HandlerMethod handler) {
        if (method.equals("POST")) {
            header(operation, "Idempotency-Key", "Replays the first successful answer for the same key and body; "
                    + "the same key with another body is 422.");
        }
        if (method.equals("PATCH") || method.equals("DELETE") || method.equals("PUT")) {
            header(operation, "If-Match", "The ETag (version) the change expects; another version is 412.");
        }
        if (method.equals("GET") && notModifiable(handler)) {
            header(operation, "If-None-Match", "An ETag the caller holds; the same version answers 304.");
        }
        header(operation, "X-Request-ID", "Echoed in meta.request_id and the X-Request-ID response header.");
    }

    private static void header(Operation operation, String name, String description) {
        if (operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> name.equalsIgnoreCase(p.getName()))) {
            return;
        }
        operation.addParametersItem(new Parameter().in("header").name(name).required(false)
                .description(description).schema(new StringSchema()));
    }

    /** Single resources answered through {@code Responses.resource} carry an ETag and honour If-None-Match. */
    private static boolean notModifiable(HandlerMethod handler) {
        Returns returns = handler.getMethodAnnotation(Returns.class);
        return returns != null && returns.conditional();
    }

    private static void errors(Operation operation, String method, Access access, HandlerMethod handler, boolean data) {
        ApiResponses responses = operation.getResponses();
        boolean body = Arrays.stream(handler.getMethodParameters())
                .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
        boolean pathVariables = Arrays.stream(handler.getMethodParameters())
                .anyMatch(p -> p.hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class));
        boolean writes = !method.equals("GET");
        Map<String, String> statuses = new TreeMap<>();
        statuses.put("400", "BAD_REQUEST (malformed request), VALIDATION_FAILED (details per field)"
                + (data ? ", INVALID_FILTER or INVALID_SORT" : ""));
        if (access != Access.PUBLIC) {
            statuses.put("401", "UNAUTHORIZED, TOKEN_EXPIRED or EXPIRED_KEY: no or invalid credentials");
            statuses.put("403", "FORBIDDEN, INVALID_SCOPE or TENANT_MISMATCH: authenticated, but not allowed");
        }
        if (pathVariables || access != Access.PUBLIC) {
            statuses.put("404", "NOT_FOUND: no such resource, or the caller may not know it exists");
        }
        if (writes && access != Access.PUBLIC) {
            statuses.put("409", "CONFLICT: duplicate name, state clash");
        }
        if (method.equals("PATCH") || method.equals("DELETE") || method.equals("PUT")) {
            statuses.put("412", "PRECONDITION_FAILED: If-Match names another version");
        }
        if (body) {
            statuses.put("413", "PAYLOAD_TOO_LARGE: body over its limit");
            statuses.put("415", "UNSUPPORTED_MEDIA_TYPE: not application/json");
        }
        if (method.equals("POST")) {
            statuses.put("422", "UNPROCESSABLE: cannot apply (e.g. an Idempotency-Key reused with another body)");
        }
        if (data) {
            statuses.put("429", "RATE_LIMIT_EXCEEDED: Retry-After says when to try again");
        }
        statuses.put("500", "INTERNAL_ERROR: never with a stack trace");
        statuses.put("503", "MAINTENANCE or SERVICE_UNAVAILABLE (e.g. a data statement past its timeout): "
                + "Retry-After says when to try again");
        if (method.equals("GET") && notModifiable(handler)) {
            responses.putIfAbsent("304", new ApiResponse().description("Not Modified: If-None-Match names the current version"));
        }
        statuses.forEach((status, description) -> responses.putIfAbsent(status, new ApiResponse().description(description)));
        // Every error, declared here or by the handler (e.g. @ApiResponse(responseCode = "423")), is the error envelope.
        responses.forEach((status, response) -> {
            if ((status.startsWith("4") || status.startsWith("5"))) {
                if (response.getDescription() == null || response.getDescription().isBlank()) {
                    response.setDescription(describe(Integer.parseInt(status)));
                }
                response.setContent(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                        new MediaType().schema(new Schema<>().$ref(SCHEMAS + "ErrorEnvelope"))));
            }
        });
        operation.setResponses(sorted(responses));
    }

    private static String describe(int status) {
        return Arrays.stream(ErrorCode.values()).filter(code -> code.status() == status).map(Enum::name)
                .reduce((a, b) -> a + ", " + b).orElse("Error");
    }

    private static ApiResponses sorted(ApiResponses responses) {
        ApiResponses result = new ApiResponses();
        new TreeMap<>(responses).forEach(result::addApiResponse);
        return result;
    }

    private static void dataParameters(Operation operation, DataQueryParameters.Kind kind) {
        List<Parameter> parameters = new ArrayList<>(operation.getParameters() == null ? List.of() : operation.getParameters());
        parameters.removeIf(p -> "query".equals(p.getIn()));
        parameters.add(new Parameter().in("query").name("filters").required(false).style(Parameter.StyleEnum.FORM)
                .explode(true)
                .description("Filters, one query parameter per column: `column=value` (equals) or "
                        + "`column=op.value` with op one of eq, neq, gt, gte, lt, lte, like, ilike (`*` or `%` as "
                        + "wildcard), in (`in.(a,b)`), is (`is.null`, `is.not_null`, `is.true`, `is.false`). Several "
                        + "filters (also on the same column) must all hold. A filter on an unknown column is 400 "
                        + "INVALID_FILTER.")
                .schema(new ObjectSchema().additionalProperties(new StringSchema()))
                .example(Json31.mapper().createObjectNode().put("price", "gte.2")));
        if (kind == DataQueryParameters.Kind.LIST) {
            parameters.add(query("order", "Sort: `column.asc` or `column.desc`, comma separated (default id.desc); "
                    + "an unknown column is 400 INVALID_SORT", new StringSchema(), "price.desc,title.asc"));
            parameters.add(query("select", "Columns to return, comma separated (default all)", new StringSchema(), "id,title"));
            parameters.add(query("limit", "Rows per page (default 20, max 1000)",
                    new IntegerSchema().minimum(java.math.BigDecimal.ONE).maximum(java.math.BigDecimal.valueOf(1000)), null));
            parameters.add(query("offset", "Rows to skip", new IntegerSchema().minimum(java.math.BigDecimal.ZERO), null));
            parameters.add(query("count", "`exact` puts the total in meta.page.total and X-Total-Count",
                    new StringSchema()._enum(List.of("exact")), null));
        }
        if (kind == DataQueryParameters.Kind.AGGREGATE) {
            parameters.add(query("fn", "The aggregate function", new StringSchema()._enum(List.of("count", "sum", "avg", "min", "max")), null));
            parameters.add(query("column", "The column aggregated (not needed for count)", new StringSchema(), null));
            parameters.add(query("group_by", "A column to group by", new StringSchema(), null));
        }
        parameters.add(query("search", "Full-text search over the table's text columns", new StringSchema(), null));
        parameters.add(query("as_of", "Read the table as it was at this instant (RFC 3339)", new DateTimeSchema(), null));
        parameters.add(query("include_deleted", "Include soft-deleted rows (operators and the service key only)",
                new BooleanSchema(), null));
        operation.setParameters(parameters);
    }

    private static Parameter query(String name, String description, Schema<?> schema, Object example) {
        Parameter parameter = new Parameter().in("query").name(name).required(false).description(description).schema(schema);
        if (example != null) {
            parameter.example(example);
        }
        return parameter;
    }

    // --- the document as a whole ---------------------------------------------------------------

    private void complete(OpenAPI openApi) {
        Components components = openApi.getComponents();
        if (components.getSchemas() == null) {
            components.setSchemas(new LinkedHashMap<>());
        }
        Map<String, Schema> schemas = components.getSchemas();
        resolved.forEach(schemas::putIfAbsent);
        schemas.put("ErrorCode", new StringSchema().description("The stable error codes of the API; the HTTP status "
                + "follows from the code.")._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()));
        schemas.put("ApiError", new ObjectSchema()
                .addProperty("code", new Schema<>().$ref(SCHEMAS + "ErrorCode"))
                .addProperty("message", new StringSchema().description("Human readable; never a stack trace"))
                .addProperty("details", new MapSchema().additionalProperties(new StringSchema())
                        .description("Per field (or filter, column, ...): what is wrong with it"))
                .required(List.of("code", "message")));
        schemas.put("Page", new ObjectSchema().description("Where a page of a list sits")
                .addProperty("limit", new IntegerSchema())
                .addProperty("offset", new IntegerSchema())
                .addProperty("total", new IntegerSchema().format("int64").description("Present when counted"))
                .addProperty("has_more", new BooleanSchema())
                .addProperty("next_cursor", new StringSchema().description("For cursor-paged lists: pass as `cursor`")));
        schemas.put("Meta", new ObjectSchema()
                .addProperty("request_id", new StringSchema().description("The request's X-Request-ID"))
                .addProperty("page", new Schema<>().$ref(SCHEMAS + "Page"))
                .addProperty("as_of", new DateTimeSchema().description("The instant a time-travel answer describes")));
        schemas.put("ErrorEnvelope", new ObjectSchema().description("Every error answer")
                .addProperty("success", new BooleanSchema().description("false"))
                .addProperty("data", new ObjectSchema().description("null"))
                .addProperty("meta", new Schema<>().$ref(SCHEMAS + "Meta"))
                .addProperty("error", new Schema<>().$ref(SCHEMAS + "ApiError"))
                .required(List.of("success", "meta", "error")));
        schemas.put("Envelope", envelope(new ObjectSchema(), "A success answer"));
        schemas.putIfAbsent("Row", new ObjectSchema().description("A row of a managed table: its columns, plus id, "
                        + "created_at and updated_at. PASSWORD columns always read as null.")
                .addProperty("id", new StringSchema().format("uuid"))
                .addProperty("created_at", new DateTimeSchema())
                .addProperty("updated_at", new DateTimeSchema())
                .additionalProperties(true));
        schemas.putIfAbsent("RowValues", new Schema<Object>().types(Set.of("object")).description("Column values of a row, by column name; "
                + "unknown columns and wrong types are 400. On insert `id` may be a UUID of the client's choosing.")
                .additionalProperties(true)
                .example(Json31.mapper().createObjectNode().put("title", "Tea").put("price", 4.5)));
        // Generators handle a oneOf of named schemas, not of inline arrays: name the policy shapes' lists.
        Schema<?> change = schemas.get("PolicyChange");
        if (change != null) {
            schemas.put("PolicyGrantList", new ArraySchema().items(new Schema<>().$ref(SCHEMAS + "PolicyGrant"))
                    .description("Shape 1: [{api_role, allow: [operations]}]"));
            schemas.put("PolicyRuleList", new ArraySchema().items(new Schema<>().$ref(SCHEMAS + "PolicyRule"))
                    .description("Shape 2: [{api_role, operation, allowed, constraint_sql?}]"));
            change.setOneOf(List.of(new Schema<>().$ref(SCHEMAS + "PolicyGrantList"),
                    new Schema<>().$ref(SCHEMAS + "PolicyRuleList"), new Schema<>().$ref(SCHEMAS + "PolicyRule")));
        }
        schemas.values().forEach(OpenApiContract::refsAlone);
        prune(openApi);
    }

    /** A property that refers to a schema says nothing else about its type (as generators require). */
    private static void refsAlone(Schema<?> schema) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            schema.setType(null);
            schema.setTypes(null);
            schema.setFormat(null);
            schema.setAdditionalProperties(null);
            schema.setItems(null);
            schema.setProperties(null);
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(OpenApiContract::refsAlone);
        }
        if (schema.getItems() != null) {
            refsAlone(schema.getItems());
        }
    }

    /** Drops schemas nothing reachable from a path refers to (e.g. Java records the typed envelopes replaced). */
    private static void prune(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Set<String> reached = referencedFrom(openApi, schemas, Pattern.compile("#/components/schemas/([A-Za-z0-9_.-]+)"));
        schemas.keySet().removeIf(name -> !reached.contains(name));
    }

    private static Set<String> referencedFrom(OpenAPI openApi, Map<String, Schema> schemas, Pattern ref) {
        Set<String> reached = new java.util.HashSet<>();
        java.util.Deque<String> pending = new java.util.ArrayDeque<>();
        try {
            Matcher matcher = ref.matcher(Json31.mapper().writeValueAsString(openApi.getPaths()));
            while (matcher.find()) {
                pending.add(matcher.group(1));
            }
            while (!pending.isEmpty()) {
                String name = pending.pop();
                if (!reached.add(name) || !schemas.containsKey(name)) {
                    continue;
                }
                Matcher inner = ref.matcher(Json31.mapper().writeValueAsString(schemas.get(name)));
                while (inner.find()) {
                    pending.add(inner.group(1));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return reached;
    }
}
