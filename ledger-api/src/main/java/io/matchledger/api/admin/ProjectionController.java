package io.matchledger.api.admin;

import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.springframework.http.ResponseEntity;
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
                    + "is being rebuilt (rebuilding, and how far: rebuildPosition) and whether its answers come from a "
                    + "partly rebuilt model (replaying).")
    @Answers(id = "listProjections", audience = Audience.OPERATORS, roles = Role.ADMIN)
    @GetMapping
    public List<ProjectionStatus> projections() {
        return projections.statuses();
    }

    @Operation(
            summary = "Rebuild a projection from the first event",
            description = "202: the projection is rebuilt from the first event in the background; matches are "
                    + "accepted meanwhile. The standings are folded in memory and swapped in whole at the end: until "
                    + "`rebuilding` is false, reads answer from the model as it was (docs/decisions/0005). Other "
                    + "projections are emptied and replayed: until `replaying` is false, reads answer from the partly "
                    + "rebuilt model and carry the header `Ledger-Rebuilding`. 409 while it is rebuilding already or "
                    + "while another process holds it, 404 for an unknown name.")
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
}
