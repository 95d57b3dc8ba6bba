package io.matchledger.api;

/**
 * What a game server claims about a match, for the concurrency tests: two attempts with the same id and other content
 * conflict. For a decisive match the first player is the winner; for a draw the order means nothing.
 */
public record MatchClaim(String matchId, String first, String second, boolean draw) {

    public String json() {
        return draw
                ? "{\"matchId\":\"" + matchId + "\",\"draw\":[\"" + first + "\",\"" + second + "\"]}"
                : "{\"matchId\":\"" + matchId + "\",\"winner\":\"" + first + "\",\"loser\":\"" + second + "\"}";
    }

    /** The points the scoring rule gives this player for the claim. */
    public int pointsOf(String player) {
        if (draw) {
            return 1;
        }
        return player.equals(first) ? 3 : 0;
    }
}
