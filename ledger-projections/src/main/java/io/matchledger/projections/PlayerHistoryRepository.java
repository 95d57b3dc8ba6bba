package io.matchledger.projections;

import org.springframework.data.jpa.repository.JpaRepository;

public interface PlayerHistoryRepository extends JpaRepository<PlayerHistory, String> {}
