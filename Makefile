# The two commands of the README, and a few helpers. See dev/.
.PHONY: setup test demo lint bench i18n readme wheel mutation
setup:
	bash dev/setup.sh
test:
	bash dev/test.sh
demo:
	bash dev/demo.sh
lint:
	bash dev/setup.sh && bash dev/lint.sh
i18n:
	bash dev/i18n.sh
readme:
	python3 dev/readme.py
bench:
	bash dev/bench.sh
wheel:
	bash dev/wheel.sh
# on demand, not in CI: break the rules one at a time, see which tests notice
# (ARGS: mutation names, --area, --survivors, --list; see dev/mutation.py)
mutation:
	python3 dev/mutation.py $(ARGS)
