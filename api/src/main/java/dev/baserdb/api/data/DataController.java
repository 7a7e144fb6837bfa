package dev.baserdb.api.data;

import dev.baserdb.api.platform.openapi.AnonymousAllowed;
import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.openapi.Accepts;
import dev.baserdb.api.platform.openapi.DataQueryParameters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.kernel.data.DataQuery;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.kernel.data.RowCommands;
import dev.baserdb.kernel.data.RowCommands.DeleteRow;
import dev.baserdb.kernel.data.RowCommands.RestoreRow;
import dev.baserdb.kernel.data.RowReads;
import dev.baserdb.kernel.id.TableId;
import dev.baserdb.query.data.DataReader;
import dev.baserdb.query.project.ProjectView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The data API (API.md §7): rows of managed tables, each write an event of the row's aggregate,
 * reads filtered by PostgreSQL's row-level security for callers without the bypass.
 */
@AnonymousAllowed
@RestController
@RequestMapping(path = "/api/v1/data/{project}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "data")
class DataController {

    static final int MAX_BATCH = 500;
    static final int MAX_TRANSACTION = 100;

    private final DataAccess access;
    private final DataReader reader;
    private final DataWriter writer;

    DataController(DataAccess access, DataReader reader, DataWriter writer) {
        this.access = access;
        this.reader = reader;
        this.writer = writer;
    }

    @Operation(operationId = "listRows", summary = "List rows: filters col=op.value, order, select, limit/offset, search, count=exact, as_of, include_deleted")
    @Returns(schema = "Row", list = true)
    @DataQueryParameters(DataQueryParameters.Kind.LIST)
    @GetMapping("/{table}")
    ResponseEntity<Envelope> list(@PathVariable String project, @PathVariable String table,
                                  @RequestParam MultiValueMap<String, String> parameters, HttpServletRequest request) {
        DataAccess.Target target = access.read(request, project, table);
        DataQuery query = query(parameters, target.caller());
        RowReads.Page page = reader.list(target.table(), query, target.caller());
        boolean more = page.total() != null ? query.offset() + page.rows().size() < page.total()
                : page.rows().size() == query.limit();
        Envelope envelope = Envelope.success(page.rows())
                .paged(query.limit(), query.offset(), page.total(), more, null);
        if (query.asOf() != null) {
            envelope.meta().put("as_of", query.asOf());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (page.total() != null) {
            response.header("X-Total-Count", Long.toString(page.total()));
        }
        if (more) {
            response.header(HttpHeaders.LINK, "<" + ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("offset", query.offset() + query.limit()).build().toUriString() + ">; rel=\"next\"");
        }
        return response.body(envelope);
    }

    @Operation(operationId = "insertRow", summary = "Insert one row; unknown columns and wrong types are 400")
    @Returns(schema = "Row", status = 201)
    @Accepts(schema = "RowValues")
    @PostMapping(path = "/{table}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> insert(@PathVariable String project, @PathVariable String table,
                                    @RequestBody JsonNode body, HttpServletRequest request) {
        DataAccess.Target target = access.write(request, project, table);
        return ResponseEntity.status(HttpStatus.CREATED).body(Envelope.success(writer.insert(target.table(), body)));
    }

    @Operation(operationId = "insertRows", summary = "Insert up to 500 rows, all or none")
    @Returns(value = DataSchemas.InsertedRows.class, status = 201)
    @Accepts(DataSchemas.RowBatch.class)
    @PostMapping(path = "/{table}/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> batch(@PathVariable String project, @PathVariable String table,
                                   @RequestBody JsonNode body, HttpServletRequest request) {
        DataAccess.Target target = access.write(request, project, table);
        JsonNode rows = body.isArray() ? body : body.path("rows");
        if (!rows.isArray() || rows.isEmpty() || rows.size() > MAX_BATCH) {
            throw BaserDbException.invalid("rows", "must be an array of 1 to " + MAX_BATCH + " rows");
        }
        List<RowCommands> inserts = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            inserts.add(writer.insertCommand(target.table(), rows.get(i), "rows[" + i + "]."));
        }
        Map<String, ObjectNode> receipt = writer.all(inserts);
        List<ObjectNode> written = inserts.stream().map(insert -> writer.row(receipt, target.table(), insert.rowId())).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("inserted", written.size());
        data.put("rows", written);
        return ResponseEntity.status(HttpStatus.CREATED).body(Envelope.success(data));
    }

    @Operation(operationId = "runTransaction", summary = "Up to 100 operations {op: insert|update|delete|restore, table, id?, values?}, all or none")
    @Returns(value = DataSchemas.TransactionResult.class)
    @Accepts(DataSchemas.RowTransaction.class)
    @PostMapping(path = "/transaction", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> transaction(@PathVariable String project, @RequestBody JsonNode body,
                                         HttpServletRequest request) {
        JsonNode operations = body.isArray() ? body : body.path("operations");
        if (!operations.isArray() || operations.isEmpty() || operations.size() > MAX_TRANSACTION) {
            throw BaserDbException.invalid("operations", "must be an array of 1 to " + MAX_TRANSACTION + " operations");
        }
        ProjectView target = access.project(request, project);
        List<RowCommands> batch = new ArrayList<>();
        List<ObjectNode> results = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            RowCommands command = operation(request, target, operations.get(i), "operations[" + i + "].");
            batch.add(command);
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("op", operations.get(i).path("op").asText());
            result.put("table", operations.get(i).path("table").asText());
            result.put("id", command.rowId());
            results.add(result);
        }
        writer.all(batch);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("applied", results.size());
        data.put("results", results);
        return ResponseEntity.ok(Envelope.success(data));
    }

    @Operation(operationId = "countRows", summary = "Count rows matching the filters")
    @Returns(value = DataSchemas.RowCount.class)
    @DataQueryParameters(DataQueryParameters.Kind.COUNT)
    @GetMapping("/{table}/count")
    ResponseEntity<Envelope> count(@PathVariable String project, @PathVariable String table,
                                   @RequestParam MultiValueMap<String, String> parameters, HttpServletRequest request) {
        DataAccess.Target target = access.read(request, project, table);
        DataQuery query = query(parameters, target.caller());
        return Envelope.ok(Map.of("count", reader.count(target.table(), query, target.caller())));
    }

    @Operation(operationId = "aggregateRows", summary = "Aggregate: fn=count|sum|avg|min|max, column, group_by, filters")
    @Returns(value = DataSchemas.AggregateValue.class, list = true)
    @DataQueryParameters(DataQueryParameters.Kind.AGGREGATE)
    @GetMapping("/{table}/aggregate")
    ResponseEntity<Envelope> aggregate(@PathVariable String project, @PathVariable String table,
                                       @RequestParam MultiValueMap<String, String> parameters,
                                       HttpServletRequest request) {
        DataAccess.Target target = access.read(request, project, table);
        DataQuery query = query(parameters, target.caller());
        List<ObjectNode> rows = reader.aggregate(target.table(), parameters.getFirst("fn"),
                parameters.getFirst("column"), parameters.getFirst("group_by"), query, target.caller());
        return Envelope.ok(rows);
    }

    @Operation(operationId = "getRow", summary = "Read one row, now or as of an instant")
    @Returns(schema = "Row")
    @GetMapping("/{table}/{id}")
    ResponseEntity<Envelope> get(@PathVariable String project, @PathVariable String table, @PathVariable String id,
                                 @RequestParam(name = "as_of", required = false) String asOf,
                                 @RequestParam(name = "include_deleted", required = false) Boolean includeDeleted,
                                 HttpServletRequest request) {
        DataAccess.Target target = access.read(request, project, table);
        boolean deleted = Boolean.TRUE.equals(includeDeleted);
        if (deleted) {
            DataAccess.requireBypass(target.caller(), "include_deleted");
        }
        Instant at = DataQuery.asOf(asOf);
        ObjectNode row = reader.get(target.table(), UUID.fromString(DataWriter.pathRowId(id)), at, deleted,
                target.caller()).orElseThrow(() -> BaserDbException.notFound("Row"));
        Envelope envelope = Envelope.success(row);
        if (at != null) {
            envelope.meta().put("as_of", at);
        }
        return ResponseEntity.ok(envelope);
    }

    @Operation(operationId = "updateRow", summary = "Change some columns of a row")
    @Returns(schema = "Row")
    @Accepts(schema = "RowValues")
    @PatchMapping(path = "/{table}/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> update(@PathVariable String project, @PathVariable String table, @PathVariable String id,
                                    @RequestBody JsonNode body, HttpServletRequest request) {
        DataAccess.Target target = access.write(request, project, table);
        return Envelope.ok(writer.update(target.table(), DataWriter.pathRowId(id), body));
    }

    @Operation(operationId = "deleteRow", summary = "Soft-delete a row (restorable)")
    @Returns(value = DataSchemas.DeletedRow.class)
    @DeleteMapping("/{table}/{id}")
    ResponseEntity<Envelope> delete(@PathVariable String project, @PathVariable String table, @PathVariable String id,
                                    HttpServletRequest request) {
        DataAccess.Target target = access.delete(request, project, table);
        String rowId = DataWriter.pathRowId(id);
        writer.delete(target.table(), rowId);
        return Envelope.ok(Map.of("id", rowId, "deleted", true));
    }

    @Operation(operationId = "restoreRow", summary = "Undo a soft delete (operators and service key)")
    @Returns(schema = "Row")
    @PostMapping("/{table}/{id}/restore")
    ResponseEntity<Envelope> restore(@PathVariable String project, @PathVariable String table, @PathVariable String id,
                                     HttpServletRequest request) {
        DataAccess.Target target = access.write(request, project, table);
        DataAccess.requireBypass(target.caller(), "Restoring rows");
        return Envelope.ok(writer.restore(target.table(), DataWriter.pathRowId(id)));
    }

    @Operation(operationId = "getRowHistory", summary = "Every version of a row: values, event, actor, time (operators and service key)")
    @Returns(value = DataSchemas.RowVersion.class, list = true)
    @GetMapping("/{table}/{id}/history")
    ResponseEntity<Envelope> history(@PathVariable String project, @PathVariable String table,
                                     @PathVariable String id, HttpServletRequest request) {
        DataAccess.Target target = access.history(request, project, table);
        DataAccess.requireBypass(target.caller(), "Row history");
        List<ObjectNode> versions = reader.history(target.table(), UUID.fromString(DataWriter.pathRowId(id)));
        if (versions.isEmpty()) {
            throw BaserDbException.notFound("Row");
        }
        return Envelope.list(versions);
    }

    /** One operation of a transaction as its row command, checked and authorised. */
    private RowCommands operation(HttpServletRequest request, ProjectView project, JsonNode operation, String at) {
        if (!operation.isObject()) {
            throw BaserDbException.invalid(at.substring(0, at.length() - 1), "must be an object");
        }
        String op = operation.path("op").asText("");
        String tablePath = operation.path("table").asText("");
        if (tablePath.isEmpty()) {
            throw BaserDbException.invalid(at + "table", "is required");
        }
        DataTable table = access.table(project, tablePath);
        DataCaller caller = access.caller(request, project,
                "delete".equals(op) ? Permission.DELETE_DATA : Permission.WRITE_DATA);
        TableId tableId = new TableId(table.id());
        return switch (op) {
            case "insert" -> writer.insertCommand(table, operation.path("values"), at + "values.");
            case "update" -> writer.updateCommand(table, requiredId(operation, at), operation.path("values"), at + "values.");
            case "delete" -> new DeleteRow(requiredId(operation, at), tableId);
            case "restore" -> {
                DataAccess.requireBypass(caller, "Restoring rows");
                yield new RestoreRow(requiredId(operation, at), tableId);
            }
            default -> throw BaserDbException.invalid(at + "op", "must be insert, update, delete or restore");
        };
    }

    private static String requiredId(JsonNode operation, String at) {
        JsonNode id = operation.path("id");
        if (!id.isTextual()) {
            throw BaserDbException.invalid(at + "id", "is required");
        }
        return dev.baserdb.kernel.table.ColumnType.rowId(id.asText()).map(UUID::toString)
                .orElseThrow(() -> BaserDbException.invalid(at + "id", "must be a UUID"));
    }

    private static DataQuery query(MultiValueMap<String, String> parameters, DataCaller caller) {
        DataQuery query = DataQuery.parse(parameters);
        if (query.includeDeleted()) {
            DataAccess.requireBypass(caller, "include_deleted");
        }
        return query;
    }
}
