"""Secret backends: Vault/OpenBao (hvac), AWS SSM and Secrets Manager (boto3), NATS
JetStream key-value and object stores (nats-py).

Layout (one job per module; hvac, boto3 and nats-py are imported on first use only):

=====================  =========================================================
``registry``           ``Backends`` of a run, ``backends_for(ctx)``
``base``               ``Backend``: cache + single flight + limit + retries
``vault``              ``VaultBackend.lookup("path:key")``, KV v1/v2 per mount
``vault_settings``     address/token discovery (env, ~/.svtoken, ~/.vault-token)
``aws``                ``AwsBackend.fetch(name, stage, version)``
``awskey``             ``name?key=&stage=&version=`` parsing, ``?key=`` extraction
``targets``            ``@target`` configuration (targets file, env vars)
``vault_calls``        what vault and vault-try do (``run_vault``, paths, defaults)
``aws_calls``          what awsparam and awssecret do (``run_aws``)
``nats``               ``NatsBackend.lookup(store, bucket, name, settings)``
``nats_client``        nats-py on an event loop thread owned by the backend
``nats_connection``    one server's connection: made, watched, replaced
``nats_failures``      nats-py's failures sorted into retries, answers, refusals
``nats_settings``      ``NATS_*`` variables, ``nats@target``, the call's settings map
``nats_values``        how KV entries and objects become values (graft's rules)
``nats_calls``         what the nats operator does (``run_nats``)
``secret_args``        operator arguments (``Arg``, ``StaticArg``), ``REDACTED``
``stats``              ``BackendEvent``, ``BackendListener``, ``BackendStats``
``limiter``            ``ConcurrencyLimit`` (adjustable at run time)
``tuning``             ``AimdTuner`` for the adaptive strategy
``singleflight``       one load per key, shared by concurrent callers
``config``             ``RetryPolicy``, ``BackendConfig`` (env knobs), ``redacted``
``errors``             ``BackendError``, ``SecretNotFound``, ``BackendUnavailable``
``argnodes``           the few facts about expression nodes the operators need
``logsafe``            keeps botocore/urllib3/hvac debug logs (bodies!) quiet
=====================  =========================================================

Secret values never appear in log lines, events, exception messages or reprs.
"""

from graftpy.backends.errors import BackendError, BackendUnavailable, SecretNotFound

__all__ = ["BackendError", "BackendUnavailable", "SecretNotFound"]
