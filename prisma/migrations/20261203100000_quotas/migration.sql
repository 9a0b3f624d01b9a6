-- CreateTable
CREATE TABLE "quota_reservations" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_id" UUID,
    "kind" TEXT NOT NULL,
    "user_key" TEXT,
    "tenant_key" TEXT,
    "pending_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "quota_reservations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quota_refusals" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_id" UUID,
    "kind" TEXT NOT NULL,
    "source_platform" "Platform" NOT NULL,
    "input" JSONB NOT NULL,
    "user_key" TEXT,
    "tenant_key" TEXT,
    "reason" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "refusals" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "quota_refusals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_reservations" (
    "request_id" UUID NOT NULL,
    "installation_id" UUID,
    "usd" DECIMAL(12,6) NOT NULL,
    "tokens" BIGINT NOT NULL,
    "reserved_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "budget_reservations_pkey" PRIMARY KEY ("request_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "quota_reservations_key_key" ON "quota_reservations"("key");

-- CreateIndex
CREATE INDEX "quota_reservations_user_key_created_at_idx" ON "quota_reservations"("user_key", "created_at");

-- CreateIndex
CREATE INDEX "quota_reservations_tenant_key_created_at_idx" ON "quota_reservations"("tenant_key", "created_at");

-- CreateIndex
CREATE INDEX "quota_reservations_request_id_idx" ON "quota_reservations"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "quota_refusals_idempotency_key_key" ON "quota_refusals"("idempotency_key");

-- CreateIndex
CREATE INDEX "quota_refusals_tenant_key_created_at_idx" ON "quota_refusals"("tenant_key", "created_at");

-- CreateIndex
CREATE INDEX "budget_reservations_installation_id_reserved_at_idx" ON "budget_reservations"("installation_id", "reserved_at");
