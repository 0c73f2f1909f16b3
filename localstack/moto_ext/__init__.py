"""labcheck's extensions to moto (see labcheck_moto.py, the entry point).

A package, because moto files every model class under the second part of its module
name (``moto_ext.config_remediation`` -> "config_remediation") for its dashboard.
"""
