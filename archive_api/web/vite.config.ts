/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The app is served by `dangan serve` at / and talks to /api/v1 on the same origin.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No inline scripts or styles anywhere: the server's Content-Security-Policy forbids them.
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { app: "index.html", docs: "docs.html" },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  test: { environment: "jsdom", include: ["src/**/*.test.ts", "src/**/*.test.tsx"], setupFiles: ["src/testSetup.ts"] },
});
