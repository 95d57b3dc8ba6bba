package io.matchledger.api.admin;

import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.projections.lifecycle.ProjectionStatus;
import io.matchledger.projections.lifecycle.Projections;
import io.matchledger.projections.lifecycle.RebuildRefused;
import io.matchledger.projections.lifecycle.UnknownProjection;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/admin/projections")
public class ProjectionController {

    private final Projections projections;

    public ProjectionController(Projections projections) {
        this.projections = projections;
    }

    @Operation(
            summary = "Where each projection stands",
            description = "Per read model: the global index it has processed (position), the newest in the event store "
                    + "(head), the lag in events and in seconds (age of the oldest unprocessed event), whether it "
                    + "is being rebuilt (rebuilding, and how far: rebuildPosition), and whether it is replaying "
                    + "in place after a reset through Axon's own tooling (replaying).")
    @Answers(id = "listProjections", audience = Audience.OPERATORS, roles = Role.ADMIN)
    @GetMapping
    public List<ProjectionStatus> projections() {
        return projections.statuses();
    }

    @Operation(
            summary = "Rebuild a projection from the first event",
            description = "202: the projection is rebuilt from the first event in the background, beside the live "
                    + "model, through its own handlers; matches are accepted meanwhile. Until `rebuilding` is false, "
                    + "reads answer from the model as it was; the rebuilt one replaces it whole, in one transaction "
                    + "(docs/decisions/0012). 409 while it is rebuilding already or while another process holds it, "
                    + "404 for an unknown name.")
    @Answers(
            id = "rebuildProjection",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            success = 202,
            location = true,
            problems = {ProblemType.NOT_FOUND, ProblemType.REBUILD_REFUSED})
    @PostMapping("/{name}/rebuild")
    public ResponseEntity<ProjectionStatus> rebuild(@PathVariable String name, Principal requestedBy) {
        ProjectionStatus status = projections.rebuild(name, requestedBy == null ? "nobody" : requestedBy.getName());
        return ResponseEntity.accepted()
                .location(URI.create("/api/admin/projections"))
                .body(status);
    }

    @ExceptionHandler(UnknownProjection.class)
    ResponseEntity<ProblemDetail> unknown(UnknownProjection unknown) {
        return problem(ProblemType.NOT_FOUND.problem(unknown.getMessage()));
    }

    @ExceptionHandler(RebuildRefused.class)
    ResponseEntity<ProblemDetail> refused(RebuildRefused refused) {
        return problem(ProblemType.REBUILD_REFUSED.problem(refused.getMessage()));
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
