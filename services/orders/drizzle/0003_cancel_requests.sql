ALTER TABLE "orders" ADD COLUMN "cancel_requested_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "point_of_no_return_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "orders_pending_created_idx" ON "orders" USING btree ("created_at","id") WHERE "orders"."status" = 'PENDING';--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_cancel_or_commit_check" CHECK ("orders"."cancel_requested_at" is null or "orders"."point_of_no_return_at" is null);