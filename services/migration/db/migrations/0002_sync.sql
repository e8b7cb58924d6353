CREATE TABLE "migration"."sync_conflicts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"entity" text NOT NULL,
	"target" text NOT NULL,
	"legacy_key" text NOT NULL,
	"only_id" text NOT NULL,
	"policy" text NOT NULL,
	"fields" jsonb NOT NULL,
	"legacy_values" jsonb NOT NULL,
	"only_values" jsonb NOT NULL,
	"legacy_row" jsonb NOT NULL,
	"legacy_watermark" text,
	"only_changed_at" timestamp (6) with time zone,
	"status" text NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"detected_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp (6) with time zone,
	CONSTRAINT "sync_conflicts_status_check" CHECK ("migration"."sync_conflicts"."status" in ('open', 'resolved')),
	CONSTRAINT "sync_conflicts_resolution_check" CHECK ("migration"."sync_conflicts"."resolution" is null or "migration"."sync_conflicts"."resolution" in ('legacy', 'modern'))
);
--> statement-breakpoint
CREATE TABLE "migration"."sync_state" (
	"tenant_id" text NOT NULL,
	"entity" text NOT NULL,
	"mode" text NOT NULL,
	"watermark" text,
	"watermark_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pass" jsonb,
	"synced_at" timestamp (6) with time zone,
	"last_run_id" text,
	"last_run_at" timestamp (6) with time zone,
	"last_status" text,
	"last_error" text,
	"last_counts" jsonb,
	"totals" jsonb NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_state_tenant_id_entity_pk" PRIMARY KEY("tenant_id","entity"),
	CONSTRAINT "sync_state_mode_check" CHECK ("migration"."sync_state"."mode" in ('watermark', 'diff'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "sync_conflicts_open_key" ON "migration"."sync_conflicts" USING btree ("tenant_id","entity","legacy_key") WHERE "migration"."sync_conflicts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "sync_conflicts_tenant_idx" ON "migration"."sync_conflicts" USING btree ("tenant_id","status","id");