// After the load: remove one batch of this dataset's relationships that the load did not write (facts removed from
// the data); run until it reports fewer than $batch. Relationships that are not dutygraph's are never touched.
// $dataset: the dataset id; $load: the id of this load; $batch: how many per transaction.
MATCH (:DutyNode {dataset: $dataset})-[r]->()
WHERE r.dataset = $dataset AND (r.loadId IS NULL OR r.loadId <> $load)
WITH r LIMIT $batch
DELETE r
RETURN count(*) AS deleted
