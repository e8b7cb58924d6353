-- IF NOT EXISTS: the migrator creates the schema first, to keep its journal inside it.
CREATE SCHEMA IF NOT EXISTS "reporting";
--> statement-breakpoint
CREATE TABLE "reporting"."customer_counts" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"customers" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "customer_counts_non_negative_check" CHECK ("reporting"."customer_counts"."customers" >= 0)
);
--> statement-breakpoint
CREATE TABLE "reporting"."customer_states" (
	"tenant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"created_at" timestamp (6) with time zone,
	"deleted_at" timestamp (6) with time zone,
	CONSTRAINT "customer_states_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "reporting"."daily_sales" (
	"tenant_id" text NOT NULL,
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"orders_placed" integer DEFAULT 0 NOT NULL,
	"gross_sales" bigint DEFAULT 0 NOT NULL,
	"tax" bigint DEFAULT 0 NOT NULL,
	"cancelled_orders" integer DEFAULT 0 NOT NULL,
	"cancelled_amount" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_sales_pk" PRIMARY KEY("tenant_id","day","currency"),
	CONSTRAINT "daily_sales_currency_check" CHECK ("reporting"."daily_sales"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "daily_sales_non_negative_check" CHECK ("reporting"."daily_sales"."orders_placed" >= 0 and "reporting"."daily_sales"."gross_sales" >= 0 and "reporting"."daily_sales"."tax" >= 0 and "reporting"."daily_sales"."cancelled_orders" >= 0 and "reporting"."daily_sales"."cancelled_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "reporting"."idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status_code" smallint,
	"response_body" jsonb,
	"response_headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "reporting"."order_states" (
	"tenant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"status" text NOT NULL,
	"currency" text,
	"grand_total" bigint,
	"tax_total" bigint,
	"placed_at" timestamp (6) with time zone,
	"cancelled_at" timestamp (6) with time zone,
	CONSTRAINT "order_states_pk" PRIMARY KEY("tenant_id","order_id"),
	CONSTRAINT "order_states_status_check" CHECK ("reporting"."order_states"."status" in ('pending', 'confirmed', 'fulfilled', 'completed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "reporting"."order_status_counts" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"confirmed" integer DEFAULT 0 NOT NULL,
	"fulfilled" integer DEFAULT 0 NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	"cancelled" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "order_status_counts_non_negative_check" CHECK ("reporting"."order_status_counts"."pending" >= 0 and "reporting"."order_status_counts"."confirmed" >= 0 and "reporting"."order_status_counts"."fulfilled" >= 0 and "reporting"."order_status_counts"."completed" >= 0 and "reporting"."order_status_counts"."cancelled" >= 0)
);
--> statement-breakpoint
CREATE TABLE "reporting"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate_id" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp (6) with time zone NOT NULL,
	"published_at" timestamp (6) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "reporting"."processed_messages" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_messages_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "reporting"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "reporting"."outbox" USING btree ("id") WHERE "reporting"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_occurred_at_idx" ON "reporting"."outbox" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "processed_messages_processed_at_idx" ON "reporting"."processed_messages" USING btree ("processed_at");