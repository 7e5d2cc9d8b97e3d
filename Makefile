# The two commands of the README. Both install what is missing first (scripts/setup.sh).
.PHONY: demo test size

demo: ## run the reference server with demo data and the demo site
	@bash scripts/demo.sh

test: ## run every test: native, PostgreSQL, browser, end-to-end, size budget
	@bash scripts/test.sh

size: ## print the widget's download size
	@bash bench/size.sh
