package dev.baserdb.api.data;

import dev.baserdb.api.platform.openapi.AnonymousAllowed;
import dev.baserdb.api.platform.openapi.Returns;
import dev.baserdb.api.platform.openapi.Accepts;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.identity.LoginLockout;
import dev.baserdb.api.identity.ProjectUserTokens;
import dev.baserdb.api.platform.security.Passwords;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.ColumnType;
import dev.baserdb.kernel.data.DataCaller;
import dev.baserdb.query.data.DataReader;
import dev.baserdb.kernel.data.DataTable;
import dev.baserdb.query.project.ProjectView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The data login (API.md §7): a table with one PASSWORD column is a project's user table; its rows
 * sign in with {@code {<identifier column>: value, password}} and get a token of role
 * {@code authenticated} whose subject is their row id ({@code :current_user_id} in policies).
 */
@AnonymousAllowed
@RestController
@RequestMapping(path = "/api/v1/data/{project}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "data")
class DataLoginController {

    private final DataAccess access;
    private final DataReader reader;
    private final Passwords passwords;
    private final ProjectUserTokens tokens;
    private final LoginLockout lockout;

    DataLoginController(DataAccess access, DataReader reader, Passwords passwords, ProjectUserTokens tokens,
                        LoginLockout lockout) {
        this.access = access;
        this.reader = reader;
        this.passwords = passwords;
        this.tokens = tokens;
        this.lockout = lockout;
    }

    @Operation(operationId = "signInRow", summary = "Sign a row of a user table in: {<identifier column>: value, password} → {token, row}")
    @Returns(value = DataSchemas.RowSession.class)
    @Accepts(DataSchemas.RowCredentials.class)
    @ApiResponse(responseCode = "401", description = "INVALID_CREDENTIALS: wrong identifier or password")
    @ApiResponse(responseCode = "423", description = "ACCOUNT_LOCKED: too many failed sign-ins; Retry-After set")
    @PostMapping(path = "/{table}/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> login(@PathVariable String project, @PathVariable String table,
                                   @RequestBody JsonNode body, HttpServletRequest request) {
        ProjectView target = access.project(request, project);
        DataTable users = access.table(target, table);
        List<Column> passwordColumns = users.columns().stream()
                .filter(column -> column.type().equals("PASSWORD")).toList();
        if (passwordColumns.size() != 1) {
            throw BaserDbException.invalid("table", "the data login needs a table with exactly one PASSWORD column");
        }
        if (!body.isObject() || !body.path("password").isTextual()) {
            throw BaserDbException.invalid("password", "is required and must be a string");
        }
        List<String> identifiers = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("password")) {
                identifiers.add(name);
            }
        });
        if (identifiers.size() != 1) {
            throw BaserDbException.invalid("body", "must name exactly one identifier column besides password");
        }
        String identifierColumn = identifiers.get(0);
        ColumnType type = users.columnTypes().get(identifierColumn);
        if (type == null || type.kind() == ColumnType.Kind.PASSWORD) {
            throw BaserDbException.invalid(identifierColumn, "is not an identifier column of this table");
        }
        Object identifier;
        try {
            identifier = type.fromJson(body.get(identifierColumn));
        } catch (IllegalArgumentException e) {
            throw BaserDbException.invalid(identifierColumn, e.getMessage());
        }
        String password = body.get("password").asText();
        Map.Entry<UUID, String> credential = reader.credential(users, identifierColumn, identifier,
                passwordColumns.get(0).name()).orElse(null);
        // Failures count per row, or per identifier when it matches no row: unknown identifiers lock
        // out like known ones, so the answers do not tell them apart.
        String realm = "data:" + users.id();
        String subject = credential != null ? "row:" + credential.getKey()
                : "identifier:" + Secrets.sha256(identifierColumn + ":" + identifier);
        lockout.requireOpen(realm, subject);
        boolean matches = credential == null ? passwords.spendTimeOnUnknownAccount(password)
                : passwords.matches(password, credential.getValue());
        if (!matches) {
            if (lockout.recordFailure(realm, subject) == LoginLockout.Outcome.ALREADY_LOCKED) {
                throw lockout.lockedError(realm, subject);
            }
            throw invalidCredentials();
        }
        lockout.recordSuccess(realm, subject);
        String rowId = credential.getKey().toString();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", tokens.issue(target.id(), users.id(), rowId, credential.getValue()));
        data.put("token_type", "Bearer");
        data.put("expires_in", tokens.expiresInSeconds());
        data.put("row", reader.get(users, credential.getKey(), null, false, DataCaller.BYPASS).orElseThrow());
        return Envelope.ok(data);
    }

    private static BaserDbException invalidCredentials() {
        return new BaserDbException(ErrorCode.INVALID_CREDENTIALS, "Invalid credentials");
    }
}
