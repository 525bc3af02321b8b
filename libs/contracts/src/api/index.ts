// @harmony/contracts/api: the REST API's shared shapes, for the server and the
// page (apps/web) alike. Runs in the browser: nothing here may import Node
// builtins, Ajv or anything of the server's.
export * from '../messages/attempt-outcome';
