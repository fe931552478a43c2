// A minimal Medusa v2 server for Kefu's tests (tests/shops/medusa/harness.py starts it).
// No Redis: the in-memory event bus, cache, locking and workflow engine that defineConfig picks
// without REDIS_URL. The payment module always has the system provider (pp_system_default) and
// defineConfig adds the manual fulfilment provider (manual_manual). Telemetry is off through
// MEDUSA_DISABLE_TELEMETRY=true, which the harness sets wherever it runs the medusa command.
import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    databaseDriverOptions: { connection: { ssl: false } },
    http: {
      storeCors: process.env.STORE_CORS || "http://127.0.0.1",
      adminCors: process.env.ADMIN_CORS || "http://127.0.0.1",
      authCors: process.env.AUTH_CORS || "http://127.0.0.1",
      jwtSecret: process.env.JWT_SECRET || "kefu-tests-only",
      cookieSecret: process.env.COOKIE_SECRET || "kefu-tests-only",
    },
  },
  admin: { disable: true },
})
