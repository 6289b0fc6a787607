// Typed wrappers over libcurl's variadic functions, which Swift cannot call directly.
#ifndef FIXPOINT_CCURLSHIM_H
#define FIXPOINT_CCURLSHIM_H
#include <curl/curl.h>

typedef size_t (*fp_curl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*fp_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                          curl_off_t ultotal, curl_off_t ulnow);

CURLcode fp_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode fp_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode fp_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode fp_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode fp_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode fp_curl_setopt_write_function(CURL *handle, fp_curl_data_callback callback);
CURLcode fp_curl_setopt_header_function(CURL *handle, fp_curl_data_callback callback);
CURLcode fp_curl_setopt_xferinfo_function(CURL *handle, fp_curl_xferinfo_callback callback);

CURLcode fp_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode fp_curl_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode fp_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value);

#endif
