-- Charts (issue 16). What a person chose in the chart modal for a query: used by their next
-- share of its result and by their digests of it. One row per (tenant, user, query).
CREATE TABLE chart_choices (
  tenant_id  text NOT NULL,
  user_id    text NOT NULL,
  query_id   integer NOT NULL,
  choice     jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, query_id)
);

-- A query-result digest posts a chart with its result unless its creator turned it off.
ALTER TABLE digests ADD COLUMN include_chart boolean NOT NULL DEFAULT true;
