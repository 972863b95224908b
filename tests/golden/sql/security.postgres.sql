SELECT *, CASE WHEN COALESCE((POSITION('|on_prem|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "requires"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0) OR ("is_competitor" = TRUE), FALSE) THEN 'disqualified' ELSE CASE ((LOWER(NULLIF(TRIM('	
                  　' FROM "industry"), '')) IN ('saas', 'b2b software')) AND ("employees" >= 200 AND "employees" <= 1000) AND ("has_security_owner" = TRUE) AND (((POSITION('|aws|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|gcp|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|azure|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0))) AND (NOT (LOWER(NULLIF(TRIM('	
                  　' FROM "country"), '')) IN ('ru', 'kp', 'ir')))) WHEN TRUE THEN 'fit' WHEN FALSE THEN 'not_fit' ELSE 'unknown' END END AS "verdict", (CASE WHEN ((POSITION('|okta|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|crowdstrike|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0)) THEN 20 ELSE 0 END + CASE WHEN ("revenue" >= 20000000) THEN 10 ELSE 0 END + CASE WHEN (LOWER(NULLIF(TRIM('	
                  　' FROM "funding_stage"), '')) IN ('series_b', 'series_c', 'series_d')) THEN 10 ELSE 0 END + CASE WHEN (NULLIF(TRIM('	
                  　' FROM CAST("funding_stage" AS TEXT)), '') IS NULL) THEN -10 ELSE 0 END) AS "score", CASE WHEN NOT COALESCE((POSITION('|on_prem|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "requires"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0) OR ("is_competitor" = TRUE), FALSE) AND COALESCE((LOWER(NULLIF(TRIM('	
                  　' FROM "industry"), '')) IN ('saas', 'b2b software')) AND ("employees" >= 200 AND "employees" <= 1000) AND ("has_security_owner" = TRUE) AND (((POSITION('|aws|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|gcp|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|azure|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0))) AND (NOT (LOWER(NULLIF(TRIM('	
                  　' FROM "country"), '')) IN ('ru', 'kp', 'ir'))), FALSE) THEN CASE WHEN ((CASE WHEN ((POSITION('|okta|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|crowdstrike|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0)) THEN 20 ELSE 0 END + CASE WHEN ("revenue" >= 20000000) THEN 10 ELSE 0 END + CASE WHEN (LOWER(NULLIF(TRIM('	
                  　' FROM "funding_stage"), '')) IN ('series_b', 'series_c', 'series_d')) THEN 10 ELSE 0 END + CASE WHEN (NULLIF(TRIM('	
                  　' FROM CAST("funding_stage" AS TEXT)), '') IS NULL) THEN -10 ELSE 0 END) >= 30) THEN 'A' WHEN ((CASE WHEN ((POSITION('|okta|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|crowdstrike|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0)) THEN 20 ELSE 0 END + CASE WHEN ("revenue" >= 20000000) THEN 10 ELSE 0 END + CASE WHEN (LOWER(NULLIF(TRIM('	
                  　' FROM "funding_stage"), '')) IN ('series_b', 'series_c', 'series_d')) THEN 10 ELSE 0 END + CASE WHEN (NULLIF(TRIM('	
                  　' FROM CAST("funding_stage" AS TEXT)), '') IS NULL) THEN -10 ELSE 0 END) >= 10) THEN 'B' ELSE 'C' END ELSE NULL END AS "tier", CASE CASE WHEN COALESCE((POSITION('|on_prem|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "requires"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0) OR ("is_competitor" = TRUE), FALSE) THEN 'disqualified' ELSE CASE ((LOWER(NULLIF(TRIM('	
                  　' FROM "industry"), '')) IN ('saas', 'b2b software')) AND ("employees" >= 200 AND "employees" <= 1000) AND ("has_security_owner" = TRUE) AND (((POSITION('|aws|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|gcp|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|azure|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0))) AND (NOT (LOWER(NULLIF(TRIM('	
                  　' FROM "country"), '')) IN ('ru', 'kp', 'ir')))) WHEN TRUE THEN 'fit' WHEN FALSE THEN 'not_fit' ELSE 'unknown' END END WHEN 'disqualified' THEN NULLIF(SUBSTRING((CASE WHEN ((POSITION('|on_prem|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "requires"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0)) IS TRUE THEN '; disqualify if requires on_prem: "needs on-prem deployment"' ELSE '' END || CASE WHEN (("is_competitor" = TRUE)) IS TRUE THEN '; disqualify if is_competitor: "competitor"' ELSE '' END) FROM 3), '') WHEN 'not_fit' THEN NULLIF(SUBSTRING((CASE WHEN ((LOWER(NULLIF(TRIM('	
                  　' FROM "industry"), '')) IN ('saas', 'b2b software'))) IS FALSE THEN '; industry in [SaaS, "B2B Software"]' ELSE '' END || CASE WHEN (("employees" >= 200 AND "employees" <= 1000)) IS FALSE THEN '; employees 200..1000' ELSE '' END || CASE WHEN (("has_security_owner" = TRUE)) IS FALSE THEN '; require has_security_owner' ELSE '' END || CASE WHEN ((((POSITION('|aws|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|gcp|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|azure|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0)))) IS FALSE THEN '; require modern_stack' ELSE '' END || CASE WHEN ((NOT (LOWER(NULLIF(TRIM('	
                  　' FROM "country"), '')) IN ('ru', 'kp', 'ir')))) IS FALSE THEN '; country not in [RU, KP, IR]' ELSE '' END) FROM 3), '') WHEN 'unknown' THEN NULLIF(SUBSTRING((CASE WHEN ((LOWER(NULLIF(TRIM('	
                  　' FROM "industry"), '')) IN ('saas', 'b2b software'))) IS NULL THEN '; industry in [SaaS, "B2B Software"]' ELSE '' END || CASE WHEN (("employees" >= 200 AND "employees" <= 1000)) IS NULL THEN '; employees 200..1000' ELSE '' END || CASE WHEN (("has_security_owner" = TRUE)) IS NULL THEN '; require has_security_owner' ELSE '' END || CASE WHEN ((((POSITION('|aws|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|gcp|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0 OR POSITION('|azure|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "tech"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0)))) IS NULL THEN '; require modern_stack' ELSE '' END || CASE WHEN ((NOT (LOWER(NULLIF(TRIM('	
                  　' FROM "country"), '')) IN ('ru', 'kp', 'ir')))) IS NULL THEN '; country not in [RU, KP, IR]' ELSE '' END || CASE WHEN ((POSITION('|on_prem|' IN '|' || REGEXP_REPLACE(LOWER(NULLIF(TRIM('	
                  　' FROM "requires"), '')), '[	
                  　]*[;,\|][	
                  　]*', '|', 'g') || '|') > 0)) IS NULL THEN '; disqualify if requires on_prem: "needs on-prem deployment"' ELSE '' END || CASE WHEN (("is_competitor" = TRUE)) IS NULL THEN '; disqualify if is_competitor: "competitor"' ELSE '' END) FROM 3), '') END AS "reasons" FROM "accounts"
