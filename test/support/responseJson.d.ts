// Tests read JSON bodies of many shapes; `any` there keeps assertions readable.
declare global {
  interface Response {
    json(): Promise<any>;
  }
}
export {};
