/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/src", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }],
  },
  testTimeout: 60000,
  // Many suites spend their time waiting on child processes (helm, shellcheck, the fake kubectl); two workers on a
  // two-core machine halve the wall time (jest's default is cores - 1 = 1).
  maxWorkers: 2,
};
