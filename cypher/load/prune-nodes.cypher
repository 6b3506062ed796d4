// After the load: remove one batch of this dataset's nodes that the load did not write (entities removed from the
// data), with their relationships; run until it reports fewer than $batch.
// $dataset: the dataset id; $load: the id of this load; $batch: how many per transaction.
MATCH (n:DutyNode {dataset: $dataset})
WHERE n.loadId IS NULL OR n.loadId <> $load
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
