ALTER TABLE "payments" DROP CONSTRAINT "payments_status_check";--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "authorize_key" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "in_flight" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "in_flight_key" text;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('pending', 'authorized', 'captured', 'voided', 'refunded', 'declined'));