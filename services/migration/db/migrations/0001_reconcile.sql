CREATE TABLE "migration"."reconcile_discrepancies" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"entity" text NOT NULL,
	"kind" text NOT NULL,
	"legacy_key" text,
	"only_id" text,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"errors" jsonb,
	CONSTRAINT "reconcile_discrepancies_kind_check" CHECK ("migration"."reconcile_discrepancies"."kind" in ('missing', 'extra', 'changed', 'quarantined'))
);
--> statement-breakpoint
CREATE TABLE "migration"."reconcile_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"mapping_name" text NOT NULL,
	"mapping_hash" text NOT NULL,
	"source_url" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"entity_filter" jsonb,
	"entities" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"missing" integer DEFAULT 0 NOT NULL,
	"extra" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"quarantined" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (6) with time zone,
	CONSTRAINT "reconcile_runs_status_check" CHECK ("migration"."reconcile_runs"."status" in ('running', 'completed', 'failed')),
	CONSTRAINT "reconcile_runs_trigger_check" CHECK ("migration"."reconcile_runs"."trigger" in ('cli', 'schedule', 'api'))
);
--> statement-breakpoint
ALTER TABLE "migration"."reconcile_discrepancies" ADD CONSTRAINT "reconcile_discrepancies_run_id_reconcile_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "migration"."reconcile_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconcile_discrepancies_run_idx" ON "migration"."reconcile_discrepancies" USING btree ("run_id","id");--> statement-breakpoint
CREATE INDEX "reconcile_discrepancies_run_entity_idx" ON "migration"."reconcile_discrepancies" USING btree ("run_id","entity","kind","id");--> statement-breakpoint
CREATE INDEX "reconcile_runs_tenant_idx" ON "migration"."reconcile_runs" USING btree ("tenant_id","id" DESC NULLS LAST);