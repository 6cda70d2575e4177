# The two commands: `make run` (the portal with demo content and workers) and `make test`.
# Both install what is missing first (Debian packages, .venv, Solr from Maven Central).
PYTHON ?= python3
PYTEST_ARGS ?=

.PHONY: run test lint stop stop-test status doctor clean-test i18n cluster stop-cluster test-cluster

run:
	$(PYTHON) bin/stack up run

test:
	$(PYTHON) bin/stack up test
	$(MAKE) lint
	.venv/bin/pytest --ckan-ini=var/test/ckan.ini $(PYTEST_ARGS)
	$(MAKE) test-cluster

# The cluster step of `make test`, bounded: starts its own cluster, kills nodes
# (tests/cluster/), stops the cluster whatever the outcome.
CLUSTER_TEST_TIMEOUT ?= 900
test-cluster:
	LAMPANG_CLUSTER_TESTS=1 timeout $(CLUSTER_TEST_TIMEOUT) .venv/bin/pytest \
		--ckan-ini=var/test/ckan.ini tests/cluster -x -q -p no:cacheprovider; \
		rc=$$?; $(PYTHON) bin/stack down cluster; exit $$rc

# Static checks (part of `make test`): ruff and mypy, both at zero findings.
lint:
	.venv/bin/ruff check ckanext-lampangpoverty tests bench
	.venv/bin/mypy

# Cluster mode: ZooKeeper, two SolrCloud nodes, two web nodes behind nginx, two workers,
# harvest consumers; `make stop-cluster` stops it (bin/cluster.py).
cluster:
	$(PYTHON) bin/stack up cluster

stop-cluster:
	$(PYTHON) bin/stack down cluster

stop:
	$(PYTHON) bin/stack down run
	$(PYTHON) bin/stack down test

stop-test:
	$(PYTHON) bin/stack down test

status:
	@echo "== run";  $(PYTHON) bin/stack status run
	@echo "== test"; $(PYTHON) bin/stack status test

doctor:
	.venv/bin/ckan -c var/run/ckan.ini lampangpoverty doctor

# Removes the test environment's data (the services must be stopped: make stop-test).
clean-test:
	rm -rf var/test

# Re-extract the translatable strings and update, then compile, the Thai catalogue.
I18N = ckanext-lampangpoverty/ckanext/lampangpoverty/i18n
i18n:
	.venv/bin/pybabel extract -F babel.cfg -o $(I18N)/ckanext-lampangpoverty.pot --sort-output --project=ckanext-lampangpoverty .
	.venv/bin/python bin/pot-js-locations $(I18N)/ckanext-lampangpoverty.pot
	.venv/bin/pybabel update -i $(I18N)/ckanext-lampangpoverty.pot -d $(I18N) -l th -D ckanext-lampangpoverty --no-fuzzy-matching
	.venv/bin/pybabel compile -d $(I18N) -D ckanext-lampangpoverty --statistics
