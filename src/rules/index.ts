export * from "./rules";
export * from "./tables";
