from entrypoints.cli.main import cli

cli()
