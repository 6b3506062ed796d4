// Remove one batch of a dataset's nodes (and their relationships); run until it reports 0.
// Nodes of other datasets, and nodes that are not dutygraph's, are never touched.
// $dataset: the dataset id; $batch: how many nodes per transaction.
MATCH (n:DutyNode {dataset: $dataset})
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
