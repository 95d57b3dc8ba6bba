-- The processes that run the read models, each saying it is alive every few seconds, so that the read models'
-- segments are spread over all of them (SegmentBalancer, ADR 0018).
create table if not exists read_model_node (node_id varchar(255) not null primary key, seen_at bigint not null);
