-- IF NOT EXISTS: the migrator creates the schema first, to keep its journal inside it.
CREATE SCHEMA IF NOT EXISTS "catalog";
--> statement-breakpoint
CREATE TABLE "catalog"."categories" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"parent_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "catalog"."idempotency_keys" (
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
CREATE TABLE "catalog"."locations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "locations_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "locations_tenant_code_key" UNIQUE("tenant_id","code"),
	CONSTRAINT "locations_default_active_check" CHECK (not "catalog"."locations"."is_default" or "catalog"."locations"."active")
);
--> statement-breakpoint
CREATE TABLE "catalog"."outbox" (
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
CREATE TABLE "catalog"."processed_messages" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_messages_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "catalog"."product_categories" (
	"tenant_id" text NOT NULL,
	"product_id" text NOT NULL,
	"category_id" text NOT NULL,
	CONSTRAINT "product_categories_product_id_category_id_pk" PRIMARY KEY("product_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "catalog"."products" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"price_amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"tax_class" text DEFAULT 'standard' NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"image_urls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', coalesce("sku", '')), 'A') || setweight(to_tsvector('simple', coalesce("name", '')), 'A') || setweight(to_tsvector('simple', coalesce("description", '')), 'C')) STORED,
	CONSTRAINT "products_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "products_tenant_sku_key" UNIQUE("tenant_id","sku"),
	CONSTRAINT "products_status_check" CHECK ("catalog"."products"."status" in ('draft', 'active', 'archived')),
	CONSTRAINT "products_currency_check" CHECK ("catalog"."products"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "products_price_check" CHECK ("catalog"."products"."price_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."reservation_lines" (
	"tenant_id" text NOT NULL,
	"reservation_id" text NOT NULL,
	"position" integer NOT NULL,
	"product_id" text NOT NULL,
	"sku" text NOT NULL,
	"location_id" text NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "reservation_lines_position_key" UNIQUE("reservation_id","position"),
	CONSTRAINT "reservation_lines_quantity_check" CHECK ("catalog"."reservation_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."reservations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp (6) with time zone NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp (6) with time zone,
	"close_reason" text,
	CONSTRAINT "reservations_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "reservations_tenant_key_key" UNIQUE("tenant_id","key"),
	CONSTRAINT "reservations_status_check" CHECK ("catalog"."reservations"."status" in ('active', 'committed', 'released', 'expired')),
	CONSTRAINT "reservations_closed_check" CHECK (("catalog"."reservations"."status" = 'active') = ("catalog"."reservations"."closed_at" is null))
);
--> statement-breakpoint
CREATE TABLE "catalog"."stock_levels" (
	"tenant_id" text NOT NULL,
	"product_id" text NOT NULL,
	"location_id" text NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"available" integer GENERATED ALWAYS AS ("on_hand" - "reserved") STORED,
	"reorder_point" integer,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_levels_tenant_id_product_id_location_id_pk" PRIMARY KEY("tenant_id","product_id","location_id"),
	CONSTRAINT "stock_levels_on_hand_check" CHECK ("catalog"."stock_levels"."on_hand" >= 0),
	CONSTRAINT "stock_levels_reserved_check" CHECK ("catalog"."stock_levels"."reserved" >= 0 and "catalog"."stock_levels"."reserved" <= "catalog"."stock_levels"."on_hand"),
	CONSTRAINT "stock_levels_reorder_point_check" CHECK ("catalog"."stock_levels"."reorder_point" is null or "catalog"."stock_levels"."reorder_point" >= 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."stock_movements" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"product_id" text NOT NULL,
	"location_id" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"delta" integer NOT NULL,
	"on_hand_before" integer NOT NULL,
	"on_hand_after" integer NOT NULL,
	"reserved_before" integer NOT NULL,
	"reserved_after" integer NOT NULL,
	"note" text,
	"transfer_id" text,
	"reservation_id" text,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"occurred_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_kind_check" CHECK ("catalog"."stock_movements"."kind" in ('adjustment', 'transfer_out', 'transfer_in', 'sale')),
	CONSTRAINT "stock_movements_delta_check" CHECK ("catalog"."stock_movements"."on_hand_after" = "catalog"."stock_movements"."on_hand_before" + "catalog"."stock_movements"."delta")
);
--> statement-breakpoint
ALTER TABLE "catalog"."categories" ADD CONSTRAINT "categories_parent_fk" FOREIGN KEY ("tenant_id","parent_id") REFERENCES "catalog"."categories"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."product_categories" ADD CONSTRAINT "product_categories_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "catalog"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."product_categories" ADD CONSTRAINT "product_categories_category_fk" FOREIGN KEY ("tenant_id","category_id") REFERENCES "catalog"."categories"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."reservation_lines" ADD CONSTRAINT "reservation_lines_reservation_fk" FOREIGN KEY ("tenant_id","reservation_id") REFERENCES "catalog"."reservations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."reservation_lines" ADD CONSTRAINT "reservation_lines_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "catalog"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."reservation_lines" ADD CONSTRAINT "reservation_lines_location_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "catalog"."locations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."stock_levels" ADD CONSTRAINT "stock_levels_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "catalog"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."stock_levels" ADD CONSTRAINT "stock_levels_location_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "catalog"."locations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."stock_movements" ADD CONSTRAINT "stock_movements_product_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "catalog"."products"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."stock_movements" ADD CONSTRAINT "stock_movements_location_fk" FOREIGN KEY ("tenant_id","location_id") REFERENCES "catalog"."locations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_tenant_parent_name_key" ON "catalog"."categories" USING btree ("tenant_id",coalesce("parent_id", ''),lower("name"));--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "catalog"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_tenant_default_key" ON "catalog"."locations" USING btree ("tenant_id") WHERE "catalog"."locations"."is_default";--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "catalog"."outbox" USING btree ("id") WHERE "catalog"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_occurred_at_idx" ON "catalog"."outbox" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "processed_messages_processed_at_idx" ON "catalog"."processed_messages" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "product_categories_category_idx" ON "catalog"."product_categories" USING btree ("tenant_id","category_id");--> statement-breakpoint
CREATE INDEX "products_tenant_status_idx" ON "catalog"."products" USING btree ("tenant_id","status","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "products_search_idx" ON "catalog"."products" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "products_name_trgm_idx" ON "catalog"."products" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "reservations_active_expiry_idx" ON "catalog"."reservations" USING btree ("expires_at") WHERE "catalog"."reservations"."status" = 'active';--> statement-breakpoint
CREATE INDEX "reservations_tenant_status_idx" ON "catalog"."reservations" USING btree ("tenant_id","status","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "stock_levels_location_idx" ON "catalog"."stock_levels" USING btree ("tenant_id","location_id");--> statement-breakpoint
CREATE INDEX "stock_movements_product_idx" ON "catalog"."stock_movements" USING btree ("tenant_id","product_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "stock_movements_location_idx" ON "catalog"."stock_movements" USING btree ("tenant_id","location_id","id" DESC NULLS LAST);