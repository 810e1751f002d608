/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-lazy.h"

#include "ns3/object-factory.h"

namespace ns3
{

namespace
{
/**
 * \param tid a type
 * \param index one of its attributes
 * \return that attribute's default now
 */
Ptr<const AttributeValue>
DefaultOf(TypeId tid, std::size_t index)
{
    return tid.GetAttribute(index).initialValue;
}
} // namespace

bool
LazyDefaults::IsCurrent() const
{
    for (const Entry& e : m_entries)
    {
        // Config::SetDefault and Config::Reset replace the value: comparing
        // the pointers is enough.
        if (DefaultOf(e.tid, e.index) != e.value)
        {
            return false;
        }
    }
    return true;
}

Ptr<const LazyDefaults>
LazyDefaults::Now(std::initializer_list<TypeId> types)
{
    // The last snapshot of each list of types asked for.
    static std::vector<Ptr<LazyDefaults>> s_last;
    const std::vector<TypeId> wanted(types);
    Ptr<LazyDefaults>* slot = nullptr;
    for (Ptr<LazyDefaults>& last : s_last)
    {
        if (last->m_types == wanted)
        {
            slot = &last;
        }
    }
    if (slot && (*slot)->IsCurrent())
    {
        return *slot;
    }
    Ptr<LazyDefaults> fresh = ns3::Create<LazyDefaults>();
    fresh->m_types = wanted;
    for (TypeId tid : wanted)
    {
        for (TypeId t = tid;; t = t.GetParent())
        {
            for (std::size_t i = 0; i < t.GetAttributeN(); i++)
            {
                fresh->m_entries.push_back(Entry{t, i, DefaultOf(t, i)});
            }
            if (t == t.GetParent())
            {
                break;
            }
        }
    }
    if (slot)
    {
        *slot = fresh;
    }
    else
    {
        s_last.push_back(fresh);
    }
    return fresh;
}

Ptr<Object>
LazyDefaults::Create(TypeId tid) const
{
    ObjectFactory factory;
    factory.SetTypeId(tid);
    for (const Entry& e : m_entries)
    {
        // Only what changed since: the factory sets it after the defaults.
        if (tid.IsChildOf(e.tid) || tid == e.tid)
        {
            if (DefaultOf(e.tid, e.index) != e.value)
            {
                factory.Set(e.tid.GetAttribute(e.index).name, *e.value);
            }
        }
    }
    return factory.Create();
}

} // namespace ns3
