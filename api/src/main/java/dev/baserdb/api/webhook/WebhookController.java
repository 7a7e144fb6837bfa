package dev.baserdb.api.webhook;

import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.security.Authorization;
import dev.baserdb.api.platform.security.Permission;
import dev.baserdb.api.platform.security.Principal;
import dev.baserdb.api.platform.security.Secrets;
import dev.baserdb.api.platform.web.Envelope;
import dev.baserdb.api.platform.web.Responses;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.Ids;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.id.WebhookId;
import dev.baserdb.kernel.privacy.PersonalData;
import dev.baserdb.kernel.webhook.WebhookCommands.CreateWebhook;
import dev.baserdb.kernel.webhook.WebhookCommands.DeleteWebhook;
import dev.baserdb.kernel.webhook.WebhookCommands.UpdateWebhook;
import dev.baserdb.kernel.webhook.WebhookEventTypes;
import dev.baserdb.query.platform.PageRequest;
import dev.baserdb.query.project.ProjectDirectory;
import dev.baserdb.query.project.ProjectView;
import dev.baserdb.query.webhook.WebhookDirectory;
import dev.baserdb.query.webhook.WebhookView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Webhooks of projects (API.md §13). Managing them needs the permission to create tables; a target
 * must be a public address (checked here and again before each delivery); the signing secret is
 * sealed under the project's data key and shown once, in the answer to the creation.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "webhooks")
class WebhookController {

    private final Commands commands;
    private final WebhookDirectory webhooks;
    private final ProjectDirectory projects;
    private final Authorization authorization;
    private final PersonalData sealing;
    private final WebhookTargets targets;

    WebhookController(Commands commands, WebhookDirectory webhooks, ProjectDirectory projects,
                      Authorization authorization, PersonalData sealing, WebhookTargets targets) {
        this.commands = commands;
        this.webhooks = webhooks;
        this.projects = projects;
        this.authorization = authorization;
        this.sealing = sealing;
        this.targets = targets;
    }

    @Operation(operationId = "listWebhooks", summary = "A project's webhooks (secrets never shown)")
    @GetMapping("/projects/{project}/webhooks")
    ResponseEntity<Envelope> listWebhooks(Principal principal, @PathVariable String project) {
        ProjectView found = projects.find(project, null).orElseThrow(WebhookController::noProject);
        authorization.requireProject(principal, found, Permission.WRITE_PROJECTS);
        return Envelope.list(webhooks.webhooksOf(found.id()).stream().map(WebhookResponses.WebhookDetails::of).toList());
    }

    @Operation(operationId = "createWebhook", summary = "Create a webhook; a generated secret is shown only in this answer")
    @PostMapping(path = "/projects/{project}/webhooks", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> createWebhook(Principal principal, @PathVariable String project,
                                           @Valid @RequestBody WebhookRequests.NewWebhook body) {
        ProjectView found = projects.find(project, null).orElseThrow(WebhookController::noProject);
        authorization.requireProject(principal, found, Permission.WRITE_PROJECTS);
        List<String> events = checkedEvents(body.events());
        String url = targets.checkedUrl(body.url());
        String secret = body.secret() != null ? body.secret() : "whsec_" + Secrets.newToken();
        WebhookId id = WebhookId.generate();
        commands.send(new CreateWebhook(id, new ProjectId(found.id()), new OrganizationId(found.organizationId()), url,
                events, sealing.seal(found.id(), secret), body.active() == null || body.active()));
        WebhookView created = current(id.value());
        return ResponseEntity.status(HttpStatus.CREATED).eTag(Responses.etag(created.version()))
                .cacheControl(CacheControl.noStore())
                .body(Envelope.success(WebhookResponses.WebhookDetails.of(created).withSecret(secret)));
    }

    @Operation(operationId = "getWebhook", summary = "Read a webhook (its secret is never returned)")
    @GetMapping("/webhooks/{id}")
    ResponseEntity<Envelope> getWebhook(Principal principal, @PathVariable String id, HttpServletRequest request) {
        WebhookView webhook = authorized(principal, id);
        return Responses.resource(request, webhook.version(), null, WebhookResponses.WebhookDetails.of(webhook));
    }

    @Operation(operationId = "updateWebhook", summary = "Change a webhook's url, events, secret or active flag (If-Match)")
    @PatchMapping(path = "/webhooks/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Envelope> updateWebhook(Principal principal, @PathVariable String id,
                                           @Valid @RequestBody WebhookRequests.WebhookChange body,
                                           HttpServletRequest request) {
        WebhookView webhook = authorized(principal, id);
        Long expected = Responses.ifMatch(request, webhook.version());
        List<String> events = body.events() == null ? null : checkedEvents(body.events());
        String url = body.url() == null ? null : targets.checkedUrl(body.url());
        String sealed = body.secret() == null ? null : sealing.seal(webhook.projectId(), body.secret());
        commands.send(new UpdateWebhook(new WebhookId(id), url, events, sealed, body.active(), expected));
        WebhookView changed = current(id);
        return ResponseEntity.ok().eTag(Responses.etag(changed.version()))
                .body(Envelope.success(WebhookResponses.WebhookDetails.of(changed)));
    }

    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook; its pending deliveries are dropped (If-Match)")
    @DeleteMapping("/webhooks/{id}")
    ResponseEntity<Envelope> deleteWebhook(Principal principal, @PathVariable String id, HttpServletRequest request) {
        WebhookView webhook = authorized(principal, id);
        Long expected = Responses.ifMatch(request, webhook.version());
        commands.send(new DeleteWebhook(new WebhookId(id), expected));
        return Envelope.ok(WebhookResponses.WebhookDetails.of(webhook));
    }

    @Operation(operationId = "listWebhookDeliveries", summary = "The webhook's delivery attempts, newest first")
    @GetMapping("/webhooks/{id}/deliveries")
    ResponseEntity<Envelope> listWebhookDeliveries(Principal principal, @PathVariable String id,
                                                   @RequestParam(required = false) Integer limit,
                                                   @RequestParam(required = false) Integer offset) {
        authorized(principal, id);
        PageRequest page = Responses.pageRequest(limit, offset);
        List<WebhookResponses.DeliveryAttempt> attempts = webhooks.attempts(id, page.limit() + 1, page.offset())
                .stream().map(WebhookResponses.DeliveryAttempt::of).toList();
        boolean more = attempts.size() > page.limit();
        List<WebhookResponses.DeliveryAttempt> shown = more ? attempts.subList(0, page.limit()) : attempts;
        return ResponseEntity.ok(Envelope.success(shown).paged(page.limit(), page.offset(), null, more, null));
    }

    private static List<String> checkedEvents(List<String> events) {
        for (String event : events) {
            if (!WebhookEventTypes.known(event)) {
                throw BaserDbException.invalid("events", "unknown event " + event + "; known: "
                        + String.join(", ", WebhookEventTypes.ALL));
            }
        }
        return events.stream().distinct().toList();
    }

    /** The webhook, if the caller may manage its project's webhooks; else (or when unknown) 404/403. */
    private WebhookView authorized(Principal principal, String id) {
        WebhookView webhook = current(id);
        ProjectView project = projects.find(webhook.projectId(), null).orElseThrow(WebhookController::noWebhook);
        authorization.requireProject(principal, project, Permission.WRITE_PROJECTS);
        return webhook;
    }

    private WebhookView current(String id) {
        if (!Ids.hasShape(id, WebhookId.PREFIX)) {
            throw noWebhook();
        }
        return webhooks.find(id).orElseThrow(WebhookController::noWebhook);
    }

    private static BaserDbException noProject() {
        return BaserDbException.notFound("Project");
    }

    private static BaserDbException noWebhook() {
        return BaserDbException.notFound("Webhook");
    }
}
