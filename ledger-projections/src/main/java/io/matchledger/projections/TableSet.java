package io.matchledger.projections;

/**
 * Which of a read model's two sets of tables a projection writes: the live tables the queries read, or the rebuild's
 * twins beside them ({@code player_standing_rebuild}, ...), which the migrations create with the same columns and keys.
 * A rebuild runs the projection's own handlers on the twins and, once it has caught up, the twins and the live tables
 * trade names ({@link io.matchledger.projections.lifecycle.ProjectionRebuilds}); nothing is copied.
 */
public record TableSet(String suffix) {

    public static final TableSet LIVE = new TableSet("");
    public static final TableSet REBUILD = new TableSet("_rebuild");

    /** The physical name of {@code table} (a live table's name) in this set. */
    public String of(String table) {
        return table + suffix;
    }
}
