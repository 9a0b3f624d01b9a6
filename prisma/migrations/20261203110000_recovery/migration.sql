-- Chat deliveries accepted but not yet handled (see src/jobs/recovery-inbox.ts).
CREATE TABLE "pending_inbox_entries" (
    "key" TEXT NOT NULL,
    "handler" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_inbox_entries_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "pending_inbox_entries_created_at_idx" ON "pending_inbox_entries"("created_at");
