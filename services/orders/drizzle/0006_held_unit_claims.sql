CREATE TABLE "held_unit_claims" (
	"order_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"units" integer NOT NULL,
	"claimed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "held_unit_claims_customer_idx" ON "held_unit_claims" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "orders_customer_pending_idx" ON "orders" USING btree ("customer_id") WHERE "orders"."status" = 'PENDING';