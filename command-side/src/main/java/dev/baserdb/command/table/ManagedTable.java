package dev.baserdb.command.table;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.TableId;
import dev.baserdb.kernel.table.Column;
import dev.baserdb.kernel.table.SystemColumns;
import dev.baserdb.kernel.table.Policy;
import dev.baserdb.kernel.table.TableCommands.AddColumn;
import dev.baserdb.kernel.table.TableCommands.CreateIndex;
import dev.baserdb.kernel.table.TableCommands.CreateTable;
import dev.baserdb.kernel.table.TableCommands.DeletePolicy;
import dev.baserdb.kernel.table.TableCommands.DeleteTable;
import dev.baserdb.kernel.table.TableCommands.DropColumn;
import dev.baserdb.kernel.table.TableCommands.DropIndex;
import dev.baserdb.kernel.table.TableCommands.SetPolicies;
import dev.baserdb.kernel.table.TableEvents.TableColumnAdded;
import dev.baserdb.kernel.table.TableEvents.TableColumnDropped;
import dev.baserdb.kernel.table.TableEvents.TableCreated;
import dev.baserdb.kernel.table.TableEvents.TableDeleted;
import dev.baserdb.kernel.table.TableEvents.TableIndexCreated;
import dev.baserdb.kernel.table.TableEvents.TableIndexDropped;
import dev.baserdb.kernel.table.TableEvents.TablePoliciesChanged;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A managed table: its columns, indexes and row-level policies. It keeps the rules that need the
 * whole schema (no duplicate column or index, the system columns stay); the data plane turns its
 * events into real DDL in the same transaction.
 */
@Aggregate
class ManagedTable {

    static final Set<String> SYSTEM_COLUMNS = SystemColumns.ROW;

    @AggregateIdentifier
    private TableId tableId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private final Set<String> indexes = new HashSet<>();
    /** Policies by "role operation". */
    private final Map<String, Policy> policies = new LinkedHashMap<>();
    private boolean deleted;

    ManagedTable() {
        // for Axon
    }

    @CommandHandler
    ManagedTable(CreateTable command) {
        Set<String> seen = new HashSet<>();
        for (Column column : command.columns()) {
            SystemColumns.problem(column.name()).ifPresent(problem -> {
                throw BaserDbException.invalid("columns", "'" + column.name() + "' " + problem);
            });
            if (!seen.add(column.name().toLowerCase())) {
                throw BaserDbException.invalid("columns", "'" + column.name() + "' appears twice");
            }
        }
        apply(new TableCreated(command.tableId(), command.projectId(), command.organizationId(), command.groupId(),
                command.schema(), command.name(), List.copyOf(command.columns())));
    }

    @CommandHandler
    void handle(AddColumn command) {
        requireExists();
        String name = command.column().name();
        if (SystemColumns.HISTORY.contains(name.toLowerCase())) {
            throw BaserDbException.invalid("name", "is reserved (a column of the table's history)");
        }
        if (SYSTEM_COLUMNS.contains(name.toLowerCase()) || columns.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
            throw BaserDbException.conflict("The table already has a column named " + name);
        }
        apply(new TableColumnAdded(tableId, projectId, organizationId, command.column()));
    }

    @CommandHandler
    void handle(DropColumn command) {
        requireExists();
        if (SYSTEM_COLUMNS.contains(command.name())) {
            throw BaserDbException.invalid("name", "system columns cannot be dropped");
        }
        if (!columns.containsKey(command.name())) {
            throw BaserDbException.notFound("Column " + command.name());
        }
        apply(new TableColumnDropped(tableId, projectId, organizationId, command.name()));
    }

    @CommandHandler
    void handle(CreateIndex command) {
        requireExists();
        if (indexes.contains(command.indexName())) {
            throw BaserDbException.conflict("The table already has an index named " + command.indexName());
        }
        for (String column : command.columns()) {
            if (!columns.containsKey(column) && !SYSTEM_COLUMNS.contains(column)) {
                throw BaserDbException.invalid("columns", "unknown column " + column);
            }
        }
        apply(new TableIndexCreated(tableId, projectId, organizationId, command.indexName(),
                List.copyOf(command.columns()), command.unique()));
    }

    @CommandHandler
    void handle(DropIndex command) {
        requireExists();
        if (!indexes.contains(command.indexName())) {
            throw BaserDbException.notFound("Index " + command.indexName());
        }
        apply(new TableIndexDropped(tableId, projectId, organizationId, command.indexName()));
    }

    @CommandHandler
    int handle(SetPolicies command) {
        requireExists();
        Map<String, Policy> next = new LinkedHashMap<>(policies);
        next.values().removeIf(policy -> command.replaceRoles().contains(policy.apiRole()));
        for (Policy policy : command.policies()) {
            String key = policy.apiRole() + " " + policy.operation();
            Policy existing = policies.get(key);
            // a policy keeps its id when it is changed
            String id = existing != null ? existing.policyId() : policy.policyId();
            next.put(key, new Policy(id, policy.apiRole(), policy.operation(), policy.allowed(), policy.constraintSql()));
        }
        apply(new TablePoliciesChanged(tableId, projectId, organizationId, sorted(next)));
        return command.policies().size();
    }

    @CommandHandler
    void handle(DeletePolicy command) {
        requireExists();
        Map<String, Policy> next = new LinkedHashMap<>(policies);
        if (!next.values().removeIf(policy -> policy.policyId().equals(command.policyId()))) {
            throw BaserDbException.notFound("Policy");
        }
        apply(new TablePoliciesChanged(tableId, projectId, organizationId, sorted(next)));
    }

    @CommandHandler
    void handle(DeleteTable command) {
        requireExists();
        apply(new TableDeleted(tableId, projectId, organizationId));
    }

    private static List<Policy> sorted(Map<String, Policy> policies) {
        List<Policy> list = new ArrayList<>(policies.values());
        list.sort(Comparator.comparing(Policy::apiRole).thenComparing(Policy::operation));
        return list;
    }

    private void requireExists() {
        if (deleted) {
            throw BaserDbException.notFound("Table");
        }
    }

    @EventSourcingHandler
    void on(TableCreated event) {
        tableId = event.tableId();
        projectId = event.projectId();
        organizationId = event.organizationId();
        event.columns().forEach(column -> columns.put(column.name(), column));
    }

    @EventSourcingHandler
    void on(TableColumnAdded event) {
        columns.put(event.column().name(), event.column());
    }

    @EventSourcingHandler
    void on(TableColumnDropped event) {
        columns.remove(event.name());
    }

    @EventSourcingHandler
    void on(TableIndexCreated event) {
        indexes.add(event.indexName());
    }

    @EventSourcingHandler
    void on(TableIndexDropped event) {
        indexes.remove(event.indexName());
    }

    @EventSourcingHandler
    void on(TablePoliciesChanged event) {
        policies.clear();
        event.policies().forEach(policy -> policies.put(policy.apiRole() + " " + policy.operation(), policy));
    }

    @EventSourcingHandler
    void on(TableDeleted event) {
        deleted = true;
    }
}
