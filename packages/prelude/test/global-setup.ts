import { prismGlobalSetup } from "../../../scripts/prism/global-setup.ts";

export default prismGlobalSetup("prelude");
