"""AWS's rules and request shapes as plain data and functions, with no AWS
library: policy evaluation, the probe's refusal rules, the provisioning
requests, and the provisioning algorithm over a transport. The boto3 adapters,
the fakes and the sandbox all build on them."""
