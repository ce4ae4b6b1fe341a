ALTER TABLE "payments" ADD COLUMN "in_flight_at" timestamp (3) with time zone;--> statement-breakpoint
-- Claims taken before this column existed start their timeout now.
UPDATE "payments" SET "in_flight_at" = now() WHERE "in_flight" is not null;--> statement-breakpoint
CREATE INDEX "payments_in_flight_at_idx" ON "payments" USING btree ("in_flight_at") WHERE "payments"."in_flight" is not null;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_in_flight_check" CHECK (("payments"."in_flight" is null) = ("payments"."in_flight_at" is null));